package org.fedledger.learning.aggregate;

import java.util.ArrayList;
import java.util.List;
import org.fedledger.learning.tensor.NamedTensor;
import org.fedledger.learning.tensor.Weights;

/**
 * Deterministic reductions and element-wise operations over whole models. Reductions accumulate in
 * double, within each block in the fixed pattern of {@link Sums}, then add the block sums in block
 * order (see {@link Blocks}); the result is the same for any {@link Parallel}.
 */
public final class VectorMath {
  private VectorMath() {}

  /** Sum of squares of all coordinates. */
  public static double squaredNorm(Weights a, Parallel parallel) {
    return dot(a, a, parallel);
  }

  /** L2 norm of all coordinates. */
  public static double norm(Weights a, Parallel parallel) {
    return Math.sqrt(squaredNorm(a, parallel));
  }

  /** Inner product of two models of the same shape. */
  public static double dot(Weights a, Weights b, Parallel parallel) {
    requireSameShape(a, b);
    Blocks blocks = Blocks.of(a);
    double[] partial = new double[blocks.count()];
    parallel.forEach(
        blocks.count(),
        i -> {
          Blocks.Block blk = blocks.get(i);
          float[] x = a.tensors().get(blk.tensor()).values();
          float[] y = b.tensors().get(blk.tensor()).values();
          partial[i] = Sums.dot(x, y, blk.from(), blk.to());
        });
    return sumInOrder(partial);
  }

  /** Adds values in index order. */
  public static double sumInOrder(double[] values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s;
  }

  /** Every coordinate multiplied by factor, computed in double and rounded once. */
  public static Weights scale(Weights a, double factor) {
    List<NamedTensor> out = new ArrayList<>(a.tensors().size());
    for (NamedTensor t : a.tensors()) {
      float[] v = t.values();
      float[] r = new float[v.length];
      for (int k = 0; k < v.length; k++) {
        r[k] = (float) (v[k] * factor);
      }
      out.add(new NamedTensor(t.name(), t.shape().clone(), r));
    }
    return new Weights(out);
  }

  /** a + b, coordinate-wise, rounded once per coordinate. */
  public static Weights add(Weights a, Weights b) {
    return combine(a, b, 1.0);
  }

  /** a - b, coordinate-wise, rounded once per coordinate. */
  public static Weights subtract(Weights a, Weights b) {
    return combine(a, b, -1.0);
  }

  private static Weights combine(Weights a, Weights b, double sign) {
    requireSameShape(a, b);
    List<NamedTensor> out = new ArrayList<>(a.tensors().size());
    for (int t = 0; t < a.tensors().size(); t++) {
      NamedTensor ta = a.tensors().get(t);
      float[] x = ta.values();
      float[] y = b.tensors().get(t).values();
      float[] r = new float[x.length];
      for (int k = 0; k < x.length; k++) {
        r[k] = (float) ((double) x[k] + sign * (double) y[k]);
      }
      out.add(new NamedTensor(ta.name(), ta.shape().clone(), r));
    }
    return new Weights(out);
  }

  /** Zeros shaped like a. */
  public static Weights zerosLike(Weights a) {
    List<NamedTensor> out = new ArrayList<>(a.tensors().size());
    for (NamedTensor t : a.tensors()) {
      out.add(new NamedTensor(t.name(), t.shape().clone(), new float[t.size()]));
    }
    return new Weights(out);
  }

  static void requireSameShape(Weights a, Weights b) {
    if (!a.sameShape(b)) {
      throw new IllegalArgumentException(
          "weights differ in tensor names or shapes: " + a.tensors() + " vs " + b.tensors());
    }
  }
}
