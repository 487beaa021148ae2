package org.fedledger.learning.aggregate;

import java.util.List;
import org.fedledger.learning.tensor.Weights;

/**
 * The outcome of one round's aggregation.
 *
 * @param newGlobal the next global weights
 * @param aggregateDelta the combined client delta before the server optimizer (equal to {@code
 *     newGlobal - global} for plain strategies); contribution scores are measured against it
 * @param state server state to feed into the next round (momentum, Adam moments)
 * @param accepted client ids whose updates were valid, sorted
 * @param rejected invalid updates with reasons; never part of the aggregate
 * @param excluded valid updates a robust strategy left out, with reasons
 */
public record AggregationResult(
    Weights newGlobal,
    Weights aggregateDelta,
    ServerState state,
    List<String> accepted,
    List<Rejection> rejected,
    List<Exclusion> excluded) {
  public AggregationResult {
    accepted = List.copyOf(accepted);
    rejected = List.copyOf(rejected);
    excluded = List.copyOf(excluded);
  }
}
