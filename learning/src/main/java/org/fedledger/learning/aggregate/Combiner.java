package org.fedledger.learning.aggregate;

import java.util.List;
import org.fedledger.learning.tensor.Weights;

/**
 * Combines a round's valid client deltas into one delta. Receives the updates validated and sorted
 * by client id, never empty; must be deterministic for any {@link Parallel}.
 */
public interface Combiner {
  /** The combined delta and the valid updates that were left out, with reasons. */
  record Combined(Weights delta, List<Exclusion> excluded) {
    public Combined {
      excluded = List.copyOf(excluded);
    }
  }

  /** Canonical name, as in a strategy spec (e.g. "median", "trimmed-mean:0.1"). */
  String name();

  Combined combine(List<ClientUpdate> updates, Parallel parallel);
}
