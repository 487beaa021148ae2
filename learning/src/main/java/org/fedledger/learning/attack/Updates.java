package org.fedledger.learning.attack;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.fedledger.learning.tensor.NamedTensor;
import org.fedledger.learning.tensor.Weights;

/** Coordinate-wise transforms of a delta, shared by the update attacks. */
final class Updates {
  private Updates() {}

  static Weights map(Weights delta, DoubleUnaryOperator f) {
    List<NamedTensor> out = new ArrayList<>(delta.tensors().size());
    for (NamedTensor t : delta.tensors()) {
      float[] v = t.values();
      float[] r = new float[v.length];
      for (int k = 0; k < v.length; k++) {
        r[k] = (float) f.applyAsDouble(v[k]);
      }
      out.add(new NamedTensor(t.name(), t.shape().clone(), r));
    }
    return new Weights(out);
  }

  static double positive(String what, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(what + " must be positive and finite, got " + value);
    }
    return value;
  }
}
