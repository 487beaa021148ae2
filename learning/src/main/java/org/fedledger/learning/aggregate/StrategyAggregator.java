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
    // A combiner that carries any NaN or infinity through to its output lets the round read its
    // updates once: combine without the per-value scan, and only if the output is not finite
    // validate again with it and recombine. The result is the same as scanning first.
    boolean optimistic = combiner.exposesNonFiniteInputs();
    UpdateValidator.Validation v =
        UpdateValidator.validate(input.global(), input.updates(), !optimistic);
    requireAccepted(v);
    Combiner.Combined combined = combiner.combine(v.accepted(), parallel);
    if (optimistic && !UpdateValidator.allFinite(combined.delta())) {
      UpdateValidator.Validation full = UpdateValidator.validate(input.global(), input.updates());
      requireAccepted(full);
      if (full.accepted().size() != v.accepted().size()) {
        v = full;
        combined = combiner.combine(v.accepted(), parallel);
      }
    }
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

  private static void requireAccepted(UpdateValidator.Validation v) {
    if (v.accepted().isEmpty()) {
      throw new EmptyRoundException(v.rejected());
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
