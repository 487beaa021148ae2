package org.fedledger.cli.model;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.registry.Model;
import org.fedledger.core.proto.registry.RoundLineage;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.Rejection;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.RoundStatus;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.node.agent.BlobSource;
import org.fedledger.node.agent.RoundAggregation;
import org.fedledger.node.agent.RoundUpdates;
import org.fedledger.node.blob.BlobException;

/**
 * Replays a registered model's lineage from records read off the chain (over the node API) and
 * blobs fetched from peers: the model agrees with its job and every round record; every blob hashes
 * to its name; re-running each round's aggregation (the node's {@link RoundAggregation}, the code
 * the aggregators and verifiers run) gives the committed aggregate, accepted and rejected updates
 * and scores; the final aggregate is the model's weights.
 *
 * <p>The node's {@code agent.ModelAuditor} does the same replay against a local {@link
 * org.fedledger.ledger.Ledger}; this class needs only the records, so it runs in the CLI.
 */
public final class LineageAudit {
  private final BlobSource blobs;

  public LineageAudit(BlobSource blobs) {
    this.blobs = blobs;
  }

  /**
   * @param rounds the job's round records by number
   * @return the checks that failed, in the order they were made (first = first failing check)
   */
  public List<String> audit(Model model, Job job, Map<Long, Round> rounds) {
    List<String> problems = new ArrayList<>();
    String modelId = model.getModelId();
    if (!model.getJobId().equals(job.getJobId())) {
      problems.add("model " + modelId + " names another job than the one read");
    }
    if (job.getStatus() != JobStatus.JOB_COMPLETED || !job.getModelId().equals(modelId)) {
      problems.add(
          "job is " + job.getStatus() + " and registered model '" + job.getModelId() + "'");
    }
    Hash specHash = Sha256.hash(model.getModelSpec().getBytes(StandardCharsets.UTF_8));
    if (!specHash.equals(hash(model.getSpecHash()))) {
      problems.add("model spec does not hash to the recorded spec hash");
    }
    if (!model.getInitialWeightsHash().equals(job.getSpec().getInitialWeightsHash())) {
      problems.add("model's initial weights differ from the job's");
    }
    if (model.getRoundsCount() == 0) {
      problems.add("model has no rounds in its lineage");
      return problems;
    }
    ByteString global = job.getSpec().getInitialWeightsHash();
    String globalLocation = null;
    for (RoundLineage lineage : model.getRoundsList()) {
      Round round = rounds.get(lineage.getRound());
      String where = "round " + lineage.getRound();
      if (round == null || round.getStatus() != RoundStatus.ROUND_FINAL) {
        problems.add(where + " is not final on the chain");
        return problems;
      }
      checkRecords(where, lineage, round, problems);
      try {
        checkRound(where, job, global, globalLocation, round, problems);
      } catch (BlobException e) {
        problems.add(where + ": " + e.getMessage());
      }
      global = round.getCommit().getAggregateHash();
      globalLocation = round.getCommit().getBlobLocation();
    }
    if (!global.equals(model.getWeightsHash())) {
      problems.add("model weights hash is not the last round's aggregate");
    }
    return problems;
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

  private void checkRound(
      String where,
      Job job,
      ByteString globalHash,
      String globalLocation,
      Round round,
      List<String> problems)
      throws BlobException {
    Weights global = blobs.weights(hash(globalHash), globalLocation);
    Map<ByteString, String> honour = new HashMap<>();
    for (Rejection rej : round.getCommit().getRejectedList()) {
      if (rej.getReason().startsWith(RoundAggregation.BLOB_REASON)) {
        honour.put(rej.getUpdateHash(), rej.getReason());
      }
    }
    RoundUpdates updates = RoundUpdates.fetch(blobs, round.getSubmissionsList(), honour);
    for (Map.Entry<ByteString, String> u : updates.unavailable().entrySet()) {
      if (!honour.containsKey(u.getKey())) {
        problems.add(where + ": update " + hash(u.getKey()).toHex() + ": " + u.getValue());
      }
    }
    RoundAggregation.Outcome outcome;
    try {
      outcome =
          RoundAggregation.run(
              job.getSpec().getStrategy(),
              global,
              round.getSubmissionsList(),
              updates.fetched(),
              updates.unavailable());
    } catch (IllegalStateException e) {
      problems.add(where + " cannot be re-run: " + e.getMessage());
      return;
    }
    Hash committed = hash(round.getCommit().getAggregateHash());
    if (!outcome.aggregateHash().equals(committed)) {
      problems.add(
          where
              + ": re-running "
              + job.getSpec().getStrategy()
              + " gives "
              + outcome.aggregateHash().toHex()
              + ", the chain recorded "
              + committed.toHex());
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
    // The committed aggregate must itself be available and hash to its name.
    blobs.get(committed, round.getCommit().getBlobLocation());
  }

  static Hash hash(ByteString b) {
    return Hash.of(b.toByteArray());
  }
}
