package org.fedledger.learning.aggregate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.fedledger.learning.tensor.Weights;

/**
 * An aggregation strategy assembled from its parts: validate the updates, combine the valid ones
 * into one delta, move the global model with the server optimizer. A combiner may reject updates
 * too (see {@link Combiner.Combined#rejected}); those join the validator's rejections.
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
    Combiner.Combined combined = combiner.combine(v.accepted(), parallel, input.state());
    if (optimistic && !UpdateValidator.allFinite(combined.delta())) {
      UpdateValidator.Validation full = UpdateValidator.validate(input.global(), input.updates());
      requireAccepted(full);
      if (full.accepted().size() != v.accepted().size()) {
        v = full;
        combined = combiner.combine(v.accepted(), parallel, input.state());
      }
    }
    List<Rejection> rejected = v.rejected();
    Set<String> rejectedByCombiner = new HashSet<>();
    if (!combined.rejected().isEmpty()) {
      List<Rejection> all = new ArrayList<>(rejected);
      all.addAll(combined.rejected());
      all.sort(Comparator.comparing(Rejection::clientId));
      rejected = all;
      for (Rejection r : combined.rejected()) {
        rejectedByCombiner.add(r.clientId());
      }
      if (rejectedByCombiner.size() == v.accepted().size()) {
        throw new EmptyRoundException(rejected);
      }
    }
    ServerOptimizer.Step step = optimizer.apply(input.global(), combined.delta(), input.state());
    ServerState state = withBuffers(step.state(), combined.buffers());
    List<String> accepted = new ArrayList<>(v.accepted().size());
    for (ClientUpdate u : v.accepted()) {
      if (!rejectedByCombiner.contains(u.clientId())) {
        accepted.add(u.clientId());
      }
    }
    return new AggregationResult(
        step.newGlobal(), combined.delta(), state, accepted, rejected, combined.excluded());
  }

  /** The optimizer's state with the combiner's buffers added (their names must not collide). */
  private static ServerState withBuffers(ServerState state, SortedMap<String, Weights> buffers) {
    if (buffers.isEmpty()) {
      return state;
    }
    TreeMap<String, Weights> all = new TreeMap<>(state.buffers());
    for (Map.Entry<String, Weights> e : buffers.entrySet()) {
      if (all.put(e.getKey(), e.getValue()) != null) {
        throw new IllegalStateException(
            "the combiner's state buffer '" + e.getKey() + "' collides with the optimizer's");
      }
    }
    return new ServerState(state.step(), all);
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
