package org.fedledger.node.api.market;

import java.util.List;
import org.fedledger.node.api.ChainBackend;
import org.fedledger.node.api.training.TrainingRoutes.Endpoint;

/** The market's GET endpoints; the API server registers each. */
public final class MarketRoutes {
  private MarketRoutes() {}

  public static List<Endpoint> endpoints(ChainBackend backend) {
    MarketHandlers h = new MarketHandlers(backend);
    return List.of(
        new Endpoint("/v1/market/offers", h::offers),
        new Endpoint("/v1/market/offers/{model}", h::offer),
        new Endpoint("/v1/market/channels", h::channels),
        new Endpoint("/v1/market/channels/{id}", h::channel),
        new Endpoint("/v1/models/{id}/claims", h::claims),
        new Endpoint("/v1/models/{id}/royalties", h::royalties));
  }
}
