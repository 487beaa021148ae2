package org.fedledger.learning.aggregate;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fedledger.learning.tensor.NamedTensor;
import org.fedledger.learning.tensor.Weights;

/** Small builders for test weights and updates. */
final class W {
  private W() {}

  /** One tensor named "w" holding the values. */
  static Weights of(float... values) {
    return new Weights(List.of(new NamedTensor("w", new long[] {values.length}, values)));
  }

  static ClientUpdate update(String id, long samples, float... delta) {
    return new ClientUpdate(id, samples, of(delta));
  }

  /** A two-tensor model with random values, large enough to span several blocks. */
  static Weights random(Random random, int rows, int cols, double scale) {
    float[] a = new float[rows * cols];
    float[] b = new float[cols];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (random.nextGaussian() * scale);
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) (random.nextGaussian() * scale);
    }
    return new Weights(
        List.of(
            new NamedTensor("layer_weight", new long[] {rows, cols}, a),
            new NamedTensor("layer_bias", new long[] {cols}, b)));
  }

  static List<ClientUpdate> randomUpdates(long seed, int clients, int rows, int cols) {
    Random random = new Random(seed);
    List<ClientUpdate> out = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      out.add(
          new ClientUpdate(
              String.format("client-%03d", i),
              1 + random.nextInt(500),
              random(random, rows, cols, 0.1)));
    }
    return out;
  }

  /** The exact bytes of weights' values, for bit-for-bit comparisons. */
  static byte[] bytes(Weights w) {
    ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(w.parameterCount() * 4));
    for (NamedTensor t : w.tensors()) {
      for (float v : t.values()) {
        buf.putInt(Float.floatToRawIntBits(v));
      }
    }
    return buf.array();
  }

  static float[] values(Weights w) {
    return w.flatten();
  }
}
