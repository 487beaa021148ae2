package org.fedledger.node.agent;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.Rejection;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.learning.data.stats.FeatureStatistics;
import org.fedledger.learning.data.stats.Standardization;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.node.blob.BlobException;
import org.fedledger.node.blob.FetchLimits;

/**
 * The statistics step (round 0 of a job created with {@code standardize}) as the agents run it.
 * Each owner submits the hash of its encoded {@link FeatureStatistics} blob as its round-0 update;
 * the aggregator has them fetched (hash-checked), combines the valid ones in the job's member order
 * (join order, as {@link RoundAggregation} combines updates), stores the combination and commits
 * its hash, rejecting the others with the reason; verifiers re-run the same combination and attest
 * the hash they get. Once the round is final the job records that hash, and every owner and
 * aggregator standardizes with it ({@link #standardization}).
 *
 * <p>A report is rejected, as an update would be, when its blob is not feature statistics, when it
 * counts another number of features than the job's model takes, or when its counts would overflow
 * the combination: without the rule one such report stalls the step for everyone, since the
 * combination cannot be made with it. The rule is a function of the blobs and the job alone, so
 * every verifier makes the same choice. A report whose blob could not be had within its limits is
 * rejected with its blob reason, as an update is ({@link StatisticsValidation} fetches them).
 */
final class StatisticsStep {
  /** The chain's longest text, a rejection's reason included (the ledger's JobRules.MAX_TEXT). */
  private static final int MAX_REASON = 256;

  /**
   * @param blob the combined statistics' canonical encoding
   * @param hash SHA-256 of blob: the round's aggregate hash
   * @param accepted the valid reports' hashes, in submission order
   * @param rejected the others, in submission order, each with the reason
   */
  record Outcome(
      FeatureStatistics combined,
      byte[] blob,
      Hash hash,
      List<ByteString> accepted,
      List<Rejection> rejected) {}

  private StatisticsStep() {}

  /**
   * Combines the owners' statistics of features features each.
   *
   * @param fetched the reports' bytes by update hash, as fetched (not yet checked)
   * @param unavailable the reports that could not be had, with the reason worded as a rejection
   *     ({@link RoundAggregation#BLOB_REASON}...): they are rejected with it
   * @param members the job's participants in join order: the order of the combination
   * @throws IllegalStateException if no report is valid, or a submission is in neither map
   */
  static Outcome run(
      Map<ByteString, byte[]> fetched,
      Map<ByteString, String> unavailable,
      List<ByteString> members,
      int features,
      List<Submission> submissions) {
    if (submissions.isEmpty()) {
      throw new IllegalStateException("no statistics were reported");
    }
    List<Submission> inMemberOrder = new ArrayList<>(submissions);
    inMemberOrder.sort(
        (a, b) ->
            Integer.compare(
                members.indexOf(a.getParticipant()), members.indexOf(b.getParticipant())));
    List<FeatureStatistics> parts = new ArrayList<>();
    Map<ByteString, String> reasons = new LinkedHashMap<>();
    long[] counts = new long[features];
    for (Submission s : inMemberOrder) {
      String missing = unavailable.get(s.getUpdateHash());
      if (missing != null) {
        reasons.put(s.getUpdateHash(), limit(missing));
        continue;
      }
      byte[] bytes = fetched.get(s.getUpdateHash());
      if (bytes == null) {
        throw new IllegalStateException(
            "the report " + Hash.of(s.getUpdateHash()).toHex() + " was neither fetched nor missed");
      }
      String invalid = check(bytes, features, counts);
      if (invalid == null) {
        parts.add(FeatureStatistics.fromBytes(bytes));
      } else {
        reasons.put(s.getUpdateHash(), invalid);
      }
    }
    if (parts.isEmpty()) {
      throw new IllegalStateException(
          "no report is valid feature statistics for the job: " + reasons.values());
    }
    FeatureStatistics combined = FeatureStatistics.combine(parts);
    List<ByteString> accepted = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    for (Submission s : submissions) {
      String reason = reasons.get(s.getUpdateHash());
      if (reason == null) {
        accepted.add(s.getUpdateHash());
      } else {
        rejected.add(
            Rejection.newBuilder().setUpdateHash(s.getUpdateHash()).setReason(reason).build());
      }
    }
    return new Outcome(combined, combined.toBytes(), combined.hash(), accepted, rejected);
  }

  /**
   * Why a report cannot be combined, or null if it can; a valid report's counts are added to
   * counts, the running totals of the reports accepted before it.
   */
  private static String check(byte[] bytes, int features, long[] counts) {
    FeatureStatistics s;
    try {
      s = FeatureStatistics.fromBytes(bytes);
    } catch (IllegalArgumentException e) {
      return limit("not feature statistics: " + e.getMessage());
    }
    if (s.featureCount() != features) {
      return "statistics of "
          + s.featureCount()
          + " features, but the job's model takes "
          + features
          + " inputs";
    }
    long[] sum = counts.clone();
    for (int j = 0; j < features; j++) {
      try {
        sum[j] = Math.addExact(sum[j], s.count(j));
      } catch (ArithmeticException e) {
        return "feature " + j + "'s count " + s.count(j) + " overflows the combined count";
      }
    }
    System.arraycopy(sum, 0, counts, 0, features);
    return null;
  }

  /** A rejection's reason fits the chain's limit on texts. */
  private static String limit(String reason) {
    return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON);
  }

  /** The number of features a job's statistics count: one per input of its model. */
  static int features(Job job) {
    long n = 1;
    for (long d : ModelSpecs.fromJson(job.getSpec().getModelSpec()).inputShape()) {
      n = Math.multiplyExact(n, d);
    }
    return Math.toIntExact(n);
  }

  /**
   * A statistics report's limits: a few numbers per feature (64 KiB plus 64 bytes a feature is
   * ample), in 20 s. An owner's report can be no larger, and take no longer (issue #21).
   */
  static FetchLimits reportLimits(int features) {
    return new FetchLimits((64L << 10) + 64L * features, Duration.ofSeconds(20));
  }

  /**
   * The standardization the job's statistics step attested, fetched by its hash from where the
   * step's commit said; empty if the job does not standardize.
   *
   * @param statisticsRound the job's round 0 (its commit names where the blob is)
   * @throws BlobException if the statistics cannot be had or are not feature statistics
   */
  static Optional<Standardization> standardization(BlobSource blobs, Job job, Round statisticsRound)
      throws BlobException {
    if (!job.getSpec().getStandardize()) {
      return Optional.empty();
    }
    if (job.getStatisticsHash().isEmpty()) {
      throw new IllegalStateException(
          "job " + TrainingState.id(job).toHex() + " has no attested statistics yet");
    }
    Hash hash = Hash.of(job.getStatisticsHash());
    byte[] bytes = blobs.get(hash, statisticsRound.getCommit().getBlobLocation());
    try {
      return Optional.of(FeatureStatistics.fromBytes(bytes).standardization());
    } catch (IllegalArgumentException e) {
      throw new BlobException(
          "blob " + hash.toHex() + " is not feature statistics: " + e.getMessage(), e);
    }
  }
}
