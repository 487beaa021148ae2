package org.fedledger.node.api.training;

import io.javalin.http.Handler;
import java.util.List;
import org.fedledger.node.api.ChainBackend;
import org.fedledger.node.api.verify.ModelVerifier;

/**
 * The GET endpoints over the training, registry and staking contracts, and the explorer's search.
 * The API server registers each {@link Endpoint}; the OpenAPI document describes them.
 */
public final class TrainingRoutes {
  /** A GET path (Javalin syntax) and what answers it. */
  public record Endpoint(String path, Handler handler) {}

  private TrainingRoutes() {}

  public static List<Endpoint> endpoints(ChainBackend backend, ModelVerifier verifier) {
    TrainingHandlers h = new TrainingHandlers(backend, verifier);
    SearchHandler search = new SearchHandler(backend);
    return List.of(
        new Endpoint("/v1/jobs", h::jobs),
        new Endpoint("/v1/jobs/{id}", h::job),
        new Endpoint("/v1/jobs/{id}/rounds/{round}", h::round),
        new Endpoint("/v1/jobs/{id}/participants", h::participants),
        new Endpoint("/v1/datasets", h::datasetsByOwner),
        new Endpoint("/v1/datasets/{id}", h::dataset),
        new Endpoint("/v1/models", h::models),
        new Endpoint("/v1/models/{id}", h::model),
        new Endpoint("/v1/models/{id}/lineage", h::lineage),
        new Endpoint("/v1/models/{id}/verification", h::verification),
        new Endpoint("/v1/staking/{address}", h::stake),
        new Endpoint("/v1/search", search::search));
  }
}
