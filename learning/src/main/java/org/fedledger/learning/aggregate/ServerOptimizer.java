package org.fedledger.learning.aggregate;

import org.fedledger.learning.tensor.Weights;

/**
 * How the combined client delta moves the global model. The optimizer's memory lives in {@link
 * ServerState}, passed in and returned, never in fields, so that a round can be re-run from its
 * recorded state.
 */
public interface ServerOptimizer {
  /** The next global weights and the state for the next round. */
  record Step(Weights newGlobal, ServerState state) {}

  /** Canonical name (e.g. "fedavgm"). */
  String name();

  Step apply(Weights global, Weights delta, ServerState state);

  /** The named buffer of state, or zeros if the state has none yet (first round). */
  static float[][] buffer(ServerState state, String name, Weights shape) {
    Weights b = state.buffer(name);
    if (b == null) {
      b = VectorMath.zerosLike(shape);
    } else if (!b.sameShape(shape)) {
      throw new IllegalArgumentException(
          "server state buffer '"
              + name
              + "' does not match the model's tensors; pass the state produced by the previous"
              + " round of this job");
    }
    float[][] out = new float[b.tensors().size()][];
    for (int t = 0; t < out.length; t++) {
      out[t] = b.tensors().get(t).values().clone();
    }
    return out;
  }

  /** Weights shaped like shape holding the given per-tensor arrays. */
  static Weights shaped(Weights shape, float[][] values) {
    java.util.List<org.fedledger.learning.tensor.NamedTensor> out = new java.util.ArrayList<>();
    for (int t = 0; t < values.length; t++) {
      var s = shape.tensors().get(t);
      out.add(
          new org.fedledger.learning.tensor.NamedTensor(s.name(), s.shape().clone(), values[t]));
    }
    return new Weights(out);
  }
}
