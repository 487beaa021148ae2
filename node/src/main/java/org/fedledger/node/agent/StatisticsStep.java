package org.fedledger.node.agent;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.learning.data.stats.FeatureStatistics;
import org.fedledger.learning.data.stats.Standardization;
import org.fedledger.node.blob.BlobException;

/**
 * The statistics step (round 0 of a job created with {@code standardize}) as the agents run it.
 * Each owner submits the hash of its encoded {@link FeatureStatistics} blob as its round-0 update;
 * the aggregator fetches them (hash-checked), combines them in the job's member order (join order,
 * as {@link RoundAggregation} combines updates), stores the combination and commits its hash;
 * verifiers re-run the same combination and attest the hash they get. Once the round is final the
 * job records that hash, and every owner and aggregator standardizes with it ({@link
 * #standardization}).
 */
final class StatisticsStep {
  /**
   * @param blob the combined statistics' canonical encoding
   * @param hash SHA-256 of blob: the round's aggregate hash
   * @param accepted every report's hash, in submission order (the step rejects none)
   */
  record Outcome(FeatureStatistics combined, byte[] blob, Hash hash, List<ByteString> accepted) {}

  private StatisticsStep() {}

  /**
   * Combines the owners' statistics. Every report must be had and decode: a statistics commit
   * accepts all of them, so a missing one is waited for (the caller retries on the next block).
   *
   * @throws BlobException if a report's blob cannot be had or does not match its hash
   * @throws IllegalStateException if a blob is not feature statistics, or their feature counts
   *     differ
   */
  static Outcome run(BlobSource blobs, List<ByteString> members, List<Submission> submissions)
      throws BlobException {
    if (submissions.isEmpty()) {
      throw new IllegalStateException("no statistics were reported");
    }
    List<Submission> inMemberOrder = new ArrayList<>(submissions);
    inMemberOrder.sort(
        (a, b) ->
            Integer.compare(
                members.indexOf(a.getParticipant()), members.indexOf(b.getParticipant())));
    List<FeatureStatistics> parts = new ArrayList<>();
    for (Submission s : inMemberOrder) {
      Hash hash = Hash.of(s.getUpdateHash());
      byte[] bytes = blobs.get(hash, s.getBlobLocation());
      try {
        parts.add(FeatureStatistics.fromBytes(bytes));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(
            "report " + hash.toHex() + " is not feature statistics: " + e.getMessage(), e);
      }
    }
    FeatureStatistics combined;
    try {
      combined = FeatureStatistics.combine(parts);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("cannot combine the reports: " + e.getMessage(), e);
    }
    List<ByteString> accepted = new ArrayList<>();
    for (Submission s : submissions) {
      accepted.add(s.getUpdateHash());
    }
    return new Outcome(combined, combined.toBytes(), combined.hash(), accepted);
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
