package org.fedledger.learning.aggregate;

import java.util.List;
import org.fedledger.learning.tensor.Weights;

/**
 * Combines a round's valid client deltas into one delta. Receives the updates validated and sorted
 * by client id, never empty; must be deterministic for any {@link Parallel}.
 */
public interface Combiner {
  /**
   * The combined delta, the valid updates that were left out, and the updates the combiner found
   * invalid (e.g. longer than any honest DP-SGD update can be), each with the reason.
   */
  record Combined(Weights delta, List<Exclusion> excluded, List<Rejection> rejected) {
    public Combined {
      excluded = List.copyOf(excluded);
      rejected = List.copyOf(rejected);
    }

    public Combined(Weights delta, List<Exclusion> excluded) {
      this(delta, excluded, List.of());
    }
  }

  /** Canonical name, as in a strategy spec (e.g. "median", "trimmed-mean:0.1"). */
  String name();

  Combined combine(List<ClientUpdate> updates, Parallel parallel);

  /**
   * True if a NaN or infinity in any input always makes the combined delta non-finite too (a
   * weighted sum does; a median or a selection does not). {@link StrategyAggregator} then skips the
   * separate finiteness scan of every input and checks only the output, so the round reads its
   * updates once.
   */
  default boolean exposesNonFiniteInputs() {
    return false;
  }
}
