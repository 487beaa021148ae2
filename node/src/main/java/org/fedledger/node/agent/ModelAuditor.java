package org.fedledger.node.agent;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.Rejection;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.RoundStatus;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.ledger.Ledger;
import org.fedledger.node.blob.BlobException;

/**
 * Replays a job's lineage from the chain and the blobs: every global weights blob and every update
 * blob must hash to what the chain recorded, and re-running every finalized round's aggregation
 * must give the committed aggregate, with the same accepted and rejected updates.
 */
public final class ModelAuditor {
  private final BlobSource blobs;

  public ModelAuditor(BlobSource blobs) {
    this.blobs = blobs;
  }

  public AuditReport audit(Ledger ledger, Hash jobId) {
    TrainingState chain = new TrainingState(ledger);
    List<String> problems = new ArrayList<>();
    Job job = chain.job(jobId).orElse(null);
    if (job == null) {
      return new AuditReport(
          jobId.toHex(), "", 0, List.of("no job " + jobId.toHex() + " on the chain"));
    }
    if (job.getStatus() != JobStatus.JOB_COMPLETED) {
      problems.add("job is " + job.getStatus() + ", not completed");
    } else if (job.getModelId().isEmpty()) {
      problems.add("completed job registered no model");
    }
    int checked = 0;
    for (long r = 1; r <= job.getCurrentRound(); r++) {
      Round round = chain.round(jobId, r).orElse(null);
      if (round == null || round.getStatus() != RoundStatus.ROUND_FINAL) {
        problems.add("round " + r + " is not final");
        continue;
      }
      checked++;
      try {
        checkRound(chain, job, round, problems);
      } catch (BlobException e) {
        problems.add("round " + r + ": " + e.getMessage());
      }
    }
    return new AuditReport(jobId.toHex(), job.getModelId(), checked, problems);
  }

  private void checkRound(TrainingState chain, Job job, Round round, List<String> problems)
      throws BlobException {
    long r = round.getRound();
    Hash globalHash = chain.globalBefore(job, r);
    Weights global = blobs.weights(globalHash, chain.globalLocation(job, r).orElse(null));
    rehash(globalHash, problems, "round " + r + " global weights");
    Map<ByteString, String> honour = new HashMap<>();
    for (Rejection rej : round.getCommit().getRejectedList()) {
      if (rej.getReason().startsWith(RoundAggregation.BLOB_REASON)) {
        honour.put(rej.getUpdateHash(), rej.getReason());
      }
    }
    RoundUpdates updates = RoundUpdates.fetch(blobs, round.getSubmissionsList(), honour);
    for (ByteString h : updates.fetched().keySet()) {
      rehash(TrainingState.hash(h), problems, "round " + r + " update");
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
      problems.add("round " + r + " cannot be re-run: " + e.getMessage());
      return;
    }
    Hash committed = TrainingState.hash(round.getCommit().getAggregateHash());
    if (!outcome.aggregateHash().equals(committed)) {
      problems.add(
          "round "
              + r
              + ": re-running the aggregation gives "
              + outcome.aggregateHash().toHex()
              + ", the chain recorded "
              + committed.toHex());
    }
    if (!new HashSet<>(outcome.accepted())
        .equals(new HashSet<>(round.getCommit().getAcceptedList()))) {
      problems.add("round " + r + ": the accepted updates differ from the re-run");
    }
    Set<ByteString> rejected = new HashSet<>();
    for (Rejection rej : round.getCommit().getRejectedList()) {
      rejected.add(rej.getUpdateHash());
    }
    Set<ByteString> rerunRejected = new HashSet<>();
    for (Rejection rej : outcome.rejected()) {
      rerunRejected.add(rej.getUpdateHash());
    }
    if (!rejected.equals(rerunRejected)) {
      problems.add("round " + r + ": the rejected updates differ from the re-run");
    }
    // The committed aggregate itself must be available and hash to its name.
    blobs.get(committed, round.getCommit().getBlobLocation());
    rehash(committed, problems, "round " + r + " aggregate");
  }

  /** Re-hashes a local copy (it was verified on arrival; this catches later corruption). */
  private void rehash(Hash expected, List<String> problems, String what) throws BlobException {
    try {
      byte[] bytes = blobs.client().local().read(expected).orElse(null);
      if (bytes == null) {
        problems.add(what + " " + expected.toHex() + " is not available");
      } else if (!Sha256.hash(bytes).equals(expected)) {
        problems.add(what + " " + expected.toHex() + " does not hash to its name");
      }
    } catch (java.io.IOException e) {
      throw new BlobException("cannot read " + expected.toHex(), e);
    }
  }
}
