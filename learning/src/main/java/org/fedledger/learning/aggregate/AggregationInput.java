package org.fedledger.learning.aggregate;

import java.util.List;
import org.fedledger.learning.tensor.Weights;

/**
 * Everything a round's aggregation depends on besides the strategy's parameters: the global weights
 * the clients started from, their updates (deltas, see {@link ClientUpdate}) and the server state
 * left by the previous round ({@link ServerState#EMPTY} in the first round). The order of {@code
 * updates} does not matter: strategies process them sorted by client id.
 */
public record AggregationInput(Weights global, List<ClientUpdate> updates, ServerState state) {
  public AggregationInput {
    if (global == null) {
      throw new IllegalArgumentException("aggregation needs the global weights");
    }
    updates = List.copyOf(updates);
    state = state == null ? ServerState.EMPTY : state;
  }

  public AggregationInput(Weights global, List<ClientUpdate> updates) {
    this(global, updates, ServerState.EMPTY);
  }
}
