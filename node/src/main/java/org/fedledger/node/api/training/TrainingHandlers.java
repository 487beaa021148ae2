package org.fedledger.node.api.training;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.registry.Dataset;
import org.fedledger.core.proto.registry.Model;
import org.fedledger.core.proto.registry.RoundLineage;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.ParticipantRecord;
import org.fedledger.core.proto.training.Round;
import org.fedledger.ledger.Ledger;
import org.fedledger.ledger.module.QueryContext;
import org.fedledger.ledger.training.TrainingContracts;
import org.fedledger.node.api.ApiException;
import org.fedledger.node.api.ChainBackend;
import org.fedledger.node.api.verify.ModelVerifier;

/**
 * Answers the training endpoints. Each request reads everything it returns in one {@link
 * Ledger#query}, so a response never mixes two heights.
 */
final class TrainingHandlers {
  private final ChainBackend backend;
  private final ModelVerifier verifier;

  TrainingHandlers(ChainBackend backend, ModelVerifier verifier) {
    this.backend = backend;
    this.verifier = verifier;
  }

  void jobs(Context ctx) {
    long from = Args.nonNegative("from", ctx.queryParam("from"), 0);
    int limit = Args.limit(ctx.queryParam("limit"));
    ctx.json(
        query(
            (q, c) -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("count", c.training().jobCount(q));
              body.put("jobs", ProtoJson.of(c.training().jobs(q, from, limit)));
              return body;
            }));
  }

  void job(Context ctx) {
    Hash id = Args.hash("job id", ctx.pathParam("id"));
    ctx.json(
        query(
            (q, c) -> {
              Job job = requireJob(q, c, id);
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("job", ProtoJson.of(job));
              List<Round> rounds = new ArrayList<>();
              for (long r = 1; r <= job.getCurrentRound(); r++) {
                c.training().round(q, id, r).ifPresent(rounds::add);
              }
              body.put("rounds", ProtoJson.of(rounds));
              // A job that standardizes: its statistics step, round 0, kept apart from the
              // training rounds.
              c.training()
                  .round(q, id, 0)
                  .ifPresent(r -> body.put("statistics_round", ProtoJson.of(r)));
              List<ParticipantRecord> participants = c.training().participants(q, id);
              body.put("participants", ProtoJson.of(participants));
              // A DP job: its cost per dataset and what each of its datasets has spent; else null.
              body.put("privacy", PrivacyJson.job(q, c, job, participants));
              return body;
            }));
  }

  void round(Context ctx) {
    Hash id = Args.hash("job id", ctx.pathParam("id"));
    long r = Args.nonNegative("round", ctx.pathParam("round"), 0);
    ctx.json(
        query(
            (q, c) -> {
              Job job = requireJob(q, c, id);
              Round round =
                  c.training()
                      .round(q, id, r)
                      .orElseThrow(
                          () ->
                              ApiException.notFound(
                                  "job "
                                      + id.toHex()
                                      + " has no round "
                                      + r
                                      + "; its current round is "
                                      + job.getCurrentRound()));
              return ProtoJson.of(round);
            }));
  }

  void participants(Context ctx) {
    Hash id = Args.hash("job id", ctx.pathParam("id"));
    ctx.json(
        query(
            (q, c) -> {
              requireJob(q, c, id);
              return Map.of("participants", ProtoJson.of(c.training().participants(q, id)));
            }));
  }

  void dataset(Context ctx) {
    String id = Args.registryId("dataset", ctx.pathParam("id"));
    ctx.json(
        query(
            (q, c) -> {
              Dataset d =
                  c.registry()
                      .dataset(q, id)
                      .orElseThrow(() -> ApiException.notFound("no dataset '" + id + "'"));
              Map<String, Object> body = ProtoJson.of(d);
              // The budget's spent, reserved and remaining parts; null without a budget.
              body.put("privacy", PrivacyJson.dataset(q, c, d));
              return body;
            }));
  }

  void datasetsByOwner(Context ctx) {
    String owner = ctx.queryParam("owner");
    if (owner == null) {
      throw ApiException.badRequest(
          "give ?owner=<address>: datasets are listed per owner (or fetch /v1/datasets/{id})");
    }
    Address address = Args.address(owner);
    ctx.json(
        query(
            (q, c) -> Map.of("datasets", ProtoJson.of(c.registry().datasetsByOwner(q, address)))));
  }

  void models(Context ctx) {
    long from = Args.nonNegative("from", ctx.queryParam("from"), 0);
    int limit = Args.limit(ctx.queryParam("limit"));
    ctx.json(query((q, c) -> Map.of("models", ProtoJson.of(c.registry().models(q, from, limit)))));
  }

  void model(Context ctx) {
    String id = Args.registryId("model", ctx.pathParam("id"));
    ctx.json(query((q, c) -> ProtoJson.of(requireModel(q, c, id))));
  }

  /**
   * The model, its ancestors, the datasets its rounds trained on, and each round's attestation
   * status as the training contract recorded it. The node's replay of the lineage is served
   * separately ({@link #verification}); {@code fedledger model verify ID} runs the same replay
   * anywhere.
   */
  void lineage(Context ctx) {
    String id = Args.registryId("model", ctx.pathParam("id"));
    ctx.json(
        query(
            (q, c) -> {
              Model model = requireModel(q, c, id);
              List<Model> chain = c.registry().lineage(q, id);
              Set<String> datasetIds = new LinkedHashSet<>();
              for (Model m : chain) {
                for (RoundLineage r : m.getRoundsList()) {
                  datasetIds.addAll(r.getDatasetIdsList());
                }
              }
              List<Object> datasets = new ArrayList<>();
              for (String d : datasetIds) {
                c.registry().dataset(q, d).map(ProtoJson::of).ifPresent(datasets::add);
              }
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("model", ProtoJson.of(model));
              body.put("ancestors", ProtoJson.of(chain.subList(1, chain.size())));
              body.put("datasets", datasets);
              body.put("attestations", attestations(q, c, model));
              body.put(
                  "verify",
                  Map.of(
                      "verification",
                      "/v1/models/" + model.getModelId() + "/verification",
                      "command",
                      "fedledger model verify " + model.getModelId()));
              return body;
            }));
  }

  /** This node's replay of the model's lineage: pending until the background verifier is done. */
  void verification(Context ctx) {
    String id = Args.registryId("model", ctx.pathParam("id"));
    query((q, c) -> requireModel(q, c, id));
    ctx.json(verifier.verification(id));
  }

  void stake(Context ctx) {
    Address address = Args.address(ctx.pathParam("address"));
    ctx.json(
        query(
            (q, c) -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("address", address.toHex());
              body.put("bonded", c.staking().bonded(q, address));
              body.put("locked", c.staking().locked(q, address));
              body.put("unbonding", ProtoJson.of(c.staking().unbonding(q, address)));
              body.put("slashes", ProtoJson.of(c.staking().slashes(q, address)));
              body.put("datasets", ProtoJson.of(c.registry().datasetsByOwner(q, address)));
              return body;
            }));
  }

  /** Per lineage round: quorum, attesters that matched, and what the round record says. */
  private static List<Map<String, Object>> attestations(
      QueryContext q, TrainingContracts c, Model model) {
    List<Map<String, Object>> out = new ArrayList<>();
    Optional<Hash> jobId =
        model.getJobId().size() == 32 ? Optional.of(Hash.of(model.getJobId())) : Optional.empty();
    for (RoundLineage r : model.getRoundsList()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("round", r.getRound());
      m.put("aggregateHash", ProtoJson.hex(r.getAggregateHash()));
      m.put("attesters", r.getAttestersList().stream().map(ProtoJson::hex).toList());
      Optional<Round> round = jobId.flatMap(j -> c.training().round(q, j, r.getRound()));
      m.put("status", round.map(x -> x.getStatus().name()).orElse("UNKNOWN"));
      m.put("quorum", round.map(Round::getQuorum).orElse(0L));
      m.put("attestationsRecorded", round.map(Round::getAttestationsCount).orElse(0));
      m.put("failedCommits", round.map(Round::getFailedCommitsCount).orElse(0));
      m.put("finalizedHeight", r.getFinalizedHeight());
      out.add(m);
    }
    return out;
  }

  private static Job requireJob(QueryContext q, TrainingContracts c, Hash id) {
    return c.training()
        .job(q, id)
        .orElseThrow(() -> ApiException.notFound("no job " + id.toHex() + " on this chain"));
  }

  private static Model requireModel(QueryContext q, TrainingContracts c, String id) {
    return c.registry().model(q, id).orElseThrow(() -> ApiException.notFound("no model " + id));
  }

  private interface Query<T> {
    T read(QueryContext q, TrainingContracts contracts);
  }

  private <T> T query(Query<T> query) {
    Ledger ledger = backend.ledger();
    return ledger.query(q -> query.read(q, ledger.contracts()));
  }
}
