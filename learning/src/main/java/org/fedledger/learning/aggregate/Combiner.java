package org.fedledger.learning.aggregate;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.fedledger.learning.tensor.Weights;

/**
 * Combines a round's valid client deltas into one delta. Receives the updates validated and sorted
 * by client id, never empty; must be deterministic for any {@link Parallel}.
 */
public interface Combiner {
  /**
   * The combined delta, the valid updates that were left out, the updates the combiner found
   * invalid (e.g. longer than any honest DP-SGD update can be), each with the reason, and the
   * buffers the combiner keeps for the next round (e.g. per-participant evidence), which join the
   * server optimizer's in {@link ServerState}.
   */
  record Combined(
      Weights delta,
      List<Exclusion> excluded,
      List<Rejection> rejected,
      SortedMap<String, Weights> buffers) {
    public Combined {
      excluded = List.copyOf(excluded);
      rejected = List.copyOf(rejected);
      buffers = new TreeMap<>(buffers);
    }

    public Combined(Weights delta, List<Exclusion> excluded, List<Rejection> rejected) {
      this(delta, excluded, rejected, new TreeMap<>());
    }

    public Combined(Weights delta, List<Exclusion> excluded) {
      this(delta, excluded, List.of());
    }
  }

  /** Canonical name, as in a strategy spec (e.g. "median", "trimmed-mean:0.1"). */
  String name();

  Combined combine(List<ClientUpdate> updates, Parallel parallel);

  /**
   * Combines with the state the previous round left, for a combiner that remembers across rounds
   * (what it returns in {@link Combined#buffers} comes back here next round). Stateless combiners
   * ignore it.
   */
  default Combined combine(List<ClientUpdate> updates, Parallel parallel, ServerState state) {
    return combine(updates, parallel);
  }

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
