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
 *
 * <p>A query holds the ledger's read lock, which a block's commit waits for: the reads copy the
 * records (immutable protos) and nothing more, and the JSON is made after the lock is released.
 * Records can be large (a job lists its participants, a round its submissions), so lists are paged
 * by a byte budget as well as by count: a client cannot make one request read gigabytes under the
 * lock.
 */
final class TrainingHandlers {
  /** The most encoded record bytes one list or job response reads (JSON is about twice that). */
  static final long MAX_RECORD_BYTES = 4L << 20;

  /** The most rounds {@code /v1/jobs/{id}} returns at once; {@code rounds_from} pages the rest. */
  static final int MAX_INLINE_ROUNDS = 100;

  private final ChainBackend backend;
  private final ModelVerifier verifier;

  TrainingHandlers(ChainBackend backend, ModelVerifier verifier) {
    this.backend = backend;
    this.verifier = verifier;
  }

  void jobs(Context ctx) {
    long from = Args.nonNegative("from", ctx.queryParam("from"), 0);
    int limit = Args.limit(ctx.queryParam("limit"));
    JobsPage page =
        query(
            (q, c) ->
                new JobsPage(
                    c.training().jobCount(q), c.training().jobs(q, from, limit, MAX_RECORD_BYTES)));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("count", page.count());
    body.put("jobs", ProtoJson.of(page.jobs()));
    long next = from + page.jobs().size();
    // Where the next page starts, while jobs remain past this one (absent on the last page).
    if (next < page.count()) {
      body.put("next", next);
    }
    ctx.json(body);
  }

  private record JobsPage(long count, List<Job> jobs) {}

  /** A job's records as read under the lock; rounds {@code roundsFrom} to the last one listed. */
  private record JobView(
      Job job,
      long roundsFrom,
      List<Round> rounds,
      Optional<Round> statistics,
      List<ParticipantRecord> participants,
      Map<String, Object> privacy) {}

  /**
   * The job, its rounds (the last {@value #MAX_INLINE_ROUNDS} by default, or from {@code
   * ?rounds_from=R}; {@code roundsFrom}/{@code roundsThrough} say which, and fewer when their
   * records pass the byte budget), its statistics round, participants and privacy accounting.
   */
  void job(Context ctx) {
    Hash id = Args.hash("job id", ctx.pathParam("id"));
    long requestedFrom = Args.nonNegative("rounds_from", ctx.queryParam("rounds_from"), 0);
    JobView view =
        query(
            (q, c) -> {
              Job job = requireJob(q, c, id);
              long current = job.getCurrentRound();
              long from =
                  requestedFrom > 0 ? requestedFrom : Math.max(1, current - MAX_INLINE_ROUNDS + 1);
              List<Round> rounds = new ArrayList<>();
              long bytes = 0;
              for (long r = from; r <= current && rounds.size() < MAX_INLINE_ROUNDS; r++) {
                Optional<Round> round = c.training().round(q, id, r);
                if (round.isEmpty()) {
                  continue;
                }
                bytes += round.get().getSerializedSize();
                if (!rounds.isEmpty() && bytes > MAX_RECORD_BYTES) {
                  break;
                }
                rounds.add(round.get());
              }
              List<ParticipantRecord> participants = c.training().participants(q, id);
              return new JobView(
                  job,
                  from,
                  rounds,
                  // A job that standardizes: its statistics step, round 0, kept apart from the
                  // training rounds.
                  c.training().round(q, id, 0),
                  participants,
                  // A DP job: its cost per dataset and what each of its datasets has spent.
                  PrivacyJson.job(q, c, job, participants));
            });
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("job", ProtoJson.of(view.job()));
    body.put("rounds", ProtoJson.of(view.rounds()));
    body.put("roundsFrom", view.roundsFrom());
    body.put(
        "roundsThrough",
        view.rounds().isEmpty()
            ? view.roundsFrom() - 1
            : view.rounds().get(view.rounds().size() - 1).getRound());
    view.statistics().ifPresent(r -> body.put("statistics_round", ProtoJson.of(r)));
    body.put("participants", ProtoJson.of(view.participants()));
    body.put("privacy", view.privacy());
    ctx.json(body);
  }

  void round(Context ctx) {
    Hash id = Args.hash("job id", ctx.pathParam("id"));
    long r = Args.nonNegative("round", ctx.pathParam("round"), 0);
    Round round =
        query(
            (q, c) -> {
              Job job = requireJob(q, c, id);
              return c.training()
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
            });
    ctx.json(ProtoJson.of(round));
  }

  void participants(Context ctx) {
    Hash id = Args.hash("job id", ctx.pathParam("id"));
    List<ParticipantRecord> participants =
        query(
            (q, c) -> {
              requireJob(q, c, id);
              return c.training().participants(q, id);
            });
    ctx.json(Map.of("participants", ProtoJson.of(participants)));
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
    List<Dataset> datasets = query((q, c) -> c.registry().datasetsByOwner(q, address));
    ctx.json(Map.of("datasets", ProtoJson.of(datasets)));
  }

  void models(Context ctx) {
    long from = Args.nonNegative("from", ctx.queryParam("from"), 0);
    int limit = Args.limit(ctx.queryParam("limit"));
    List<Model> models = query((q, c) -> c.registry().models(q, from, limit));
    ctx.json(Map.of("models", ProtoJson.of(models)));
  }

  void model(Context ctx) {
    String id = Args.registryId("model", ctx.pathParam("id"));
    Model model = query((q, c) -> requireModel(q, c, id));
    ctx.json(ProtoJson.of(model));
  }

  /**
   * The model, its ancestors, the datasets its rounds trained on, and each round's attestation
   * status as the training contract recorded it. The node's replay of the lineage is served
   * separately ({@link #verification}); {@code fedledger model verify ID} runs the same replay
   * anywhere.
   */
  void lineage(Context ctx) {
    String id = Args.registryId("model", ctx.pathParam("id"));
    LineageView view =
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
              List<Dataset> datasets = new ArrayList<>();
              for (String d : datasetIds) {
                c.registry().dataset(q, d).ifPresent(datasets::add);
              }
              return new LineageView(model, chain, datasets, rounds(q, c, model));
            });
    Model model = view.model();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", ProtoJson.of(model));
    body.put("ancestors", ProtoJson.of(view.chain().subList(1, view.chain().size())));
    body.put("datasets", ProtoJson.of(view.datasets()));
    body.put("attestations", attestations(model, view.rounds()));
    body.put(
        "verify",
        Map.of(
            "verification",
            "/v1/models/" + model.getModelId() + "/verification",
            "command",
            "fedledger model verify " + model.getModelId()));
    ctx.json(body);
  }

  /** A model's records as read under the lock: its lineage, datasets and its job's rounds. */
  private record LineageView(
      Model model, List<Model> chain, List<Dataset> datasets, Map<Long, Round> rounds) {}

  /** The rounds of the model's job that its lineage names, by round number. */
  private static Map<Long, Round> rounds(QueryContext q, TrainingContracts c, Model model) {
    Map<Long, Round> rounds = new LinkedHashMap<>();
    if (model.getJobId().size() != 32) {
      return rounds;
    }
    Hash jobId = Hash.of(model.getJobId());
    for (RoundLineage r : model.getRoundsList()) {
      c.training().round(q, jobId, r.getRound()).ifPresent(x -> rounds.put(r.getRound(), x));
    }
    return rounds;
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
  private static List<Map<String, Object>> attestations(Model model, Map<Long, Round> rounds) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (RoundLineage r : model.getRoundsList()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("round", r.getRound());
      m.put("aggregateHash", ProtoJson.hex(r.getAggregateHash()));
      m.put("attesters", r.getAttestersList().stream().map(ProtoJson::hex).toList());
      Optional<Round> round = Optional.ofNullable(rounds.get(r.getRound()));
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
