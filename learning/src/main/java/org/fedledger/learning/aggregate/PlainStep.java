package org.fedledger.learning.aggregate;

import java.util.TreeMap;
import org.fedledger.learning.tensor.Weights;

/** x' = x + delta: plain FedAvg-style application; keeps no state beyond the step count. */
public final class PlainStep implements ServerOptimizer {
  @Override
  public String name() {
    return "plain";
  }

  @Override
  public Step apply(Weights global, Weights delta, ServerState state) {
    return new Step(
        VectorMath.add(global, delta), new ServerState(state.step() + 1, new TreeMap<>()));
  }
}
