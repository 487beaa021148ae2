package org.fedledger.node.agent;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.registry.Model;
import org.fedledger.core.proto.registry.RoundLineage;
import org.fedledger.core.proto.training.CommitRound;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.Rejection;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.RoundStatus;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.learning.aggregate.ServerState;
import org.fedledger.learning.io.Safetensors;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.ledger.Ledger;
import org.fedledger.node.blob.BlobException;
import org.fedledger.node.blob.BlobHashMismatchException;

/**
 * Replays a registered model's lineage: the model agrees with its job and every round record; every
 * blob it needs (global weights, updates, aggregates) hashes to its name; re-running each round's
 * aggregation through {@link RoundAggregation}, the code the aggregators and verifiers run, from
 * the server optimizer state the previous round recorded, gives the committed aggregate and server
 * state, accepted and rejected updates and scores; the last aggregate is the model's weights.
 *
 * <p>The one replay of the project: the node's background verifier and {@code fedledger model
 * verify} (which reads the records over the REST API) both call {@link #audit(Model, Job, Map)}.
 */
public final class ModelAuditor {
  private final BlobSource blobs;

  public ModelAuditor(BlobSource blobs) {
    this.blobs = blobs;
  }

  /**
   * What the chain holds about one model, read in one query.
   *
   * @param rounds the job's round records by number
   * @param height the chain height the records were read at
   */
  public record Records(Model model, Job job, Map<Long, Round> rounds, long height) {
    public Records {
      rounds = Map.copyOf(rounds);
    }

    /** The model's records, or empty if no model has that id. */
    public static Optional<Records> read(Ledger ledger, String modelId) {
      return ledger.query(
          q -> {
            var c = ledger.contracts();
            Model model = c.registry().model(q, modelId).orElse(null);
            if (model == null) {
              return Optional.empty();
            }
            Map<Long, Round> rounds = new LinkedHashMap<>();
            Job job = Job.getDefaultInstance();
            if (model.getJobId().size() == Hash.LENGTH) {
              Hash jobId = TrainingState.hash(model.getJobId());
              job = c.training().job(q, jobId).orElse(Job.getDefaultInstance());
              for (long r = 1; r <= job.getCurrentRound(); r++) {
                c.training().round(q, jobId, r).ifPresent(x -> rounds.put(x.getRound(), x));
              }
            }
            return Optional.of(new Records(model, job, rounds, ledger.height()));
          });
    }
  }

  /** Audits the model the job registered; a job without one is reported as such. */
  public AuditReport audit(Ledger ledger, Hash jobId) {
    Job job = new TrainingState(ledger).job(jobId).orElse(null);
    String problem = null;
    if (job == null) {
      problem = "no job " + jobId.toHex() + " on the chain";
    } else if (job.getStatus() != JobStatus.JOB_COMPLETED) {
      problem = "job is " + job.getStatus() + ", not completed";
    } else if (job.getModelId().isEmpty()) {
      problem = "completed job registered no model";
    }
    Optional<Records> records =
        problem == null ? Records.read(ledger, job.getModelId()) : Optional.empty();
    if (records.isEmpty()) {
      return new AuditReport(
          jobId.toHex(),
          job == null ? "" : job.getModelId(),
          List.of(),
          List.of(problem != null ? problem : "model " + job.getModelId() + " is not registered"),
          List.of());
    }
    return audit(records.get());
  }

  public AuditReport audit(Records records) {
    return audit(records.model(), records.job(), records.rounds());
  }

  /**
   * @param rounds the job's round records by number
   */
  public AuditReport audit(Model model, Job job, Map<Long, Round> rounds) {
    List<String> problems = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<AuditReport.RoundCheck> checks = new ArrayList<>();
    String modelId = model.getModelId();
    String jobHex = hex(model.getJobId());
    checkModel(model, job, problems);
    if (model.getRoundsCount() == 0) {
      problems.add("model has no rounds in its lineage");
    }
    ByteString global = job.getSpec().getInitialWeightsHash();
    String globalLocation = null;
    CommitRound previous = null;
    long expected = 1;
    for (RoundLineage lineage : model.getRoundsList()) {
      String where = "round " + lineage.getRound();
      Round round = rounds.get(lineage.getRound());
      List<String> roundProblems = new ArrayList<>();
      List<String> roundMissing = new ArrayList<>();
      if (lineage.getRound() != expected) {
        roundProblems.add(where + ": the lineage lists it where round " + expected + " belongs");
      }
      expected = lineage.getRound() + 1;
      if (round == null || round.getStatus() != RoundStatus.ROUND_FINAL) {
        roundProblems.add(where + " is not final on the chain");
      } else {
        checkRecords(where, lineage, round, roundProblems);
        checkRound(
            where, job, global, globalLocation, previous, round, roundProblems, roundMissing);
        global = round.getCommit().getAggregateHash();
        globalLocation = round.getCommit().getBlobLocation();
        previous = round.getCommit();
      }
      String status =
          !roundProblems.isEmpty()
              ? AuditReport.INVALID
              : roundMissing.isEmpty() ? AuditReport.VALID : AuditReport.UNAVAILABLE;
      List<String> all = new ArrayList<>(roundProblems);
      all.addAll(roundMissing);
      checks.add(
          new AuditReport.RoundCheck(
              lineage.getRound(), hex(lineage.getAggregateHash()), status, all));
      problems.addAll(roundProblems);
      missing.addAll(roundMissing);
      if (round == null || round.getStatus() != RoundStatus.ROUND_FINAL) {
        break; // later rounds start from weights this one never finalized
      }
    }
    if (model.getRoundsCount() > 0 && !global.equals(model.getWeightsHash())) {
      problems.add("model weights hash is not the last round's aggregate");
    }
    return new AuditReport(jobHex, modelId, checks, problems, missing);
  }

  private static void checkModel(Model model, Job job, List<String> problems) {
    String modelId = model.getModelId();
    if (!model.getJobId().equals(job.getJobId())) {
      problems.add("model " + modelId + " names another job than the one read");
    }
    if (job.getStatus() != JobStatus.JOB_COMPLETED || !job.getModelId().equals(modelId)) {
      problems.add(
          "job is " + job.getStatus() + " and registered model '" + job.getModelId() + "'");
    }
    Hash specHash = Sha256.hash(model.getModelSpec().getBytes(StandardCharsets.UTF_8));
    if (!specHash.equals(TrainingState.hash(model.getSpecHash()))) {
      problems.add("model spec does not hash to the recorded spec hash");
    }
    if (!model.getInitialWeightsHash().equals(job.getSpec().getInitialWeightsHash())) {
      problems.add("model's initial weights differ from the job's");
    }
  }

  private static void checkRecords(
      String where, RoundLineage lineage, Round round, List<String> problems) {
    if (!lineage.getAggregateHash().equals(round.getCommit().getAggregateHash())) {
      problems.add(where + ": lineage aggregate differs from the round's commit");
    }
    List<ByteString> submitted = new ArrayList<>();
    for (Submission s : round.getSubmissionsList()) {
      submitted.add(s.getUpdateHash());
    }
    if (!submitted.equals(lineage.getUpdateHashesList())) {
      problems.add(where + ": lineage update hashes differ from the round's submissions");
    }
    if (!new HashSet<>(lineage.getAcceptedUpdateHashesList())
        .equals(new HashSet<>(round.getCommit().getAcceptedList()))) {
      problems.add(where + ": lineage accepted updates differ from the round's commit");
    }
  }

  /**
   * Loads every blob the round needs, then (only if all of them could be had and are sound) re-runs
   * the aggregation and compares it with the commit.
   */
  private void checkRound(
      String where,
      Job job,
      ByteString globalHash,
      String globalLocation,
      CommitRound previous,
      Round round,
      List<String> problems,
      List<String> missing) {
    Blobs loaded = new Blobs(where, problems, missing);
    Weights global = loaded.weights("global weights", globalHash, globalLocation);
    ServerState state = loaded.state(previous);
    Map<ByteString, String> unavailable = new HashMap<>();
    for (Rejection rej : round.getCommit().getRejectedList()) {
      // Honour the blob rejections of the commit, as every verifier does: not fetched.
      if (rej.getReason().startsWith(RoundAggregation.BLOB_REASON)) {
        unavailable.put(rej.getUpdateHash(), rej.getReason());
      }
    }
    Map<ByteString, Weights> fetched = new HashMap<>();
    for (Submission s : round.getSubmissionsList()) {
      if (!unavailable.containsKey(s.getUpdateHash())) {
        Weights w = loaded.weights("update", s.getUpdateHash(), s.getBlobLocation());
        if (w != null) {
          fetched.put(s.getUpdateHash(), w);
        }
      }
    }
    ByteString committed = round.getCommit().getAggregateHash();
    loaded.weights("aggregate", committed, round.getCommit().getBlobLocation());
    if (!loaded.complete()) {
      return;
    }
    RoundAggregation.Outcome outcome;
    try {
      outcome =
          RoundAggregation.run(
              job.getSpec().getStrategy(),
              JobTraining.envelope(job.getSpec()),
              global,
              state,
              job.getParticipantsList(),
              round.getSubmissionsList(),
              fetched,
              unavailable);
    } catch (IllegalStateException e) {
      problems.add(where + " cannot be re-run: " + e.getMessage());
      return;
    }
    if (!outcome.aggregateHash().equals(TrainingState.hash(committed))) {
      problems.add(
          where
              + ": re-running "
              + job.getSpec().getStrategy()
              + " gives "
              + outcome.aggregateHash().toHex()
              + ", the chain recorded "
              + hex(committed));
    }
    ByteString stateHash = round.getCommit().getServerStateHash();
    if (!outcome.serverStateHash().equals(stateHash)) {
      problems.add(
          where
              + ": re-running "
              + job.getSpec().getStrategy()
              + " leaves server state "
              + hexOrNone(outcome.serverStateHash())
              + ", the chain recorded "
              + hexOrNone(stateHash));
    }
    if (!new HashSet<>(outcome.accepted())
        .equals(new HashSet<>(round.getCommit().getAcceptedList()))) {
      problems.add(where + ": the accepted updates differ from the re-run");
    }
    Set<ByteString> rejected = new HashSet<>();
    round.getCommit().getRejectedList().forEach(r -> rejected.add(r.getUpdateHash()));
    Set<ByteString> rerun = new HashSet<>();
    outcome.rejected().forEach(r -> rerun.add(r.getUpdateHash()));
    if (!rejected.equals(rerun)) {
      problems.add(where + ": the rejected updates differ from the re-run");
    }
    if (!new HashSet<>(outcome.scores()).equals(new HashSet<>(round.getCommit().getScoresList()))) {
      problems.add(where + ": the scores differ from the re-run");
    }
  }

  /** One round's blob loads: what failed is evidence (problems), what could not be had is not. */
  private final class Blobs {
    private final String where;
    private final List<String> problems;
    private final List<String> missing;
    private boolean complete = true;

    Blobs(String where, List<String> problems, List<String> missing) {
      this.where = where;
      this.problems = problems;
      this.missing = missing;
    }

    /** The blob's weights, checked against its hash; null (and recorded why) if not to be had. */
    Weights weights(String what, ByteString name, String location) {
      String blob = where + " " + what + " " + hex(name);
      byte[] bytes = bytes(blob, name, location);
      if (bytes == null) {
        return null;
      }
      try {
        return Safetensors.read(bytes);
      } catch (RuntimeException e) {
        fail(problems, blob + " is not safetensors weights: " + e.getMessage());
        return null;
      }
    }

    /**
     * The server state the round starts from (recorded by the previous commit; empty for the first
     * round or a stateless strategy), checked against its hash; null if not to be had.
     */
    ServerState state(CommitRound previous) {
      if (previous == null || previous.getServerStateHash().isEmpty()) {
        return ServerState.EMPTY;
      }
      ByteString name = previous.getServerStateHash();
      String blob = where + " server state " + hex(name);
      byte[] bytes = bytes(blob, name, previous.getBlobLocation());
      if (bytes == null) {
        return null;
      }
      try {
        return ServerState.decode(bytes);
      } catch (IllegalArgumentException e) {
        fail(problems, blob + " is not a server state: " + e.getMessage());
        return null;
      }
    }

    private byte[] bytes(String blob, ByteString name, String location) {
      Hash hash = TrainingState.hash(name);
      byte[] bytes;
      try {
        bytes = blobs.get(hash, location);
      } catch (BlobHashMismatchException e) {
        fail(problems, blob + ": " + e.getMessage());
        return null;
      } catch (BlobException e) {
        fail(missing, blob + " is not available: " + e.getMessage());
        return null;
      }
      // Verified when it arrived; a copy already in the store is checked here (disk corruption).
      if (!Sha256.hash(bytes).equals(hash)) {
        fail(problems, blob + " does not hash to its name: the stored copy is corrupt");
        return null;
      }
      return bytes;
    }

    private void fail(List<String> list, String message) {
      list.add(message);
      complete = false;
    }

    boolean complete() {
      return complete;
    }
  }

  private static String hexOrNone(ByteString b) {
    return b.isEmpty() ? "none" : hex(b);
  }

  private static String hex(ByteString b) {
    return HexFormat.of().formatHex(b.toByteArray());
  }
}
