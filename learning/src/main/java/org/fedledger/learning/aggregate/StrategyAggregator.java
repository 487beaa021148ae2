package org.fedledger.learning.aggregate;

import java.util.ArrayList;
import java.util.List;

/**
 * An aggregation strategy assembled from its parts: validate the updates, combine the valid ones
 * into one delta, move the global model with the server optimizer.
 */
public final class StrategyAggregator implements Aggregator {
  private final String name;
  private final Combiner combiner;
  private final ServerOptimizer optimizer;
  private final Parallel parallel;

  public StrategyAggregator(
      String name, Combiner combiner, ServerOptimizer optimizer, Parallel parallel) {
    this.name = name;
    this.combiner = combiner;
    this.optimizer = optimizer;
    this.parallel = parallel;
  }

  @Override
  public String name() {
    return name;
  }

  /** The same strategy running on a different number of threads (same results). */
  public StrategyAggregator withParallel(Parallel other) {
    return new StrategyAggregator(name, combiner, optimizer, other);
  }

  @Override
  public AggregationResult aggregate(AggregationInput input) {
    UpdateValidator.Validation v = UpdateValidator.validate(input.global(), input.updates());
    if (v.accepted().isEmpty()) {
      throw new EmptyRoundException(v.rejected());
    }
    Combiner.Combined combined = combiner.combine(v.accepted(), parallel);
    ServerOptimizer.Step step = optimizer.apply(input.global(), combined.delta(), input.state());
    List<String> accepted = new ArrayList<>(v.accepted().size());
    for (ClientUpdate u : v.accepted()) {
      accepted.add(u.clientId());
    }
    return new AggregationResult(
        step.newGlobal(),
        combined.delta(),
        step.state(),
        accepted,
        v.rejected(),
        combined.excluded());
  }

  @Override
  public String toString() {
    return name;
  }
}
