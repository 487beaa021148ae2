package org.fedledger.node.agent;

import com.google.protobuf.ByteString;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.AttestRound;
import org.fedledger.core.proto.training.CommitRound;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.Round;
import org.fedledger.ledger.training.TrainingMessages;
import org.fedledger.node.blob.FetchLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A validator's part in the statistics step (round 0 of a job that standardizes; {@link
 * StatisticsStep}): as the aggregator it combines the owners' reports and commits the combination's
 * hash; as a verifier it re-runs the combination and attests what it got.
 *
 * <p>Reports are fetched ahead, off the agent's thread, as they are submitted ({@link
 * ParsedAhead}), each within {@link StatisticsStep#reportLimits}; combining waits for them together
 * at most one fetch's deadline. A report that could not be had by then is rejected with its blob
 * reason, as an update is, and a verifier honours the blob rejections of the commit it checks. So
 * an owner whose server trickles or never answers delays the step by one deadline at most, and can
 * neither stall the agent nor make the aggregator miss its commit window (issue #21, finding 3).
 */
final class StatisticsValidation implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatisticsValidation.class);
  private static final long STATISTICS_ROUND = 0;

  private final String name;
  private final TxSender tx;
  private final BlobSource blobs;
  private final String blobUrl;
  private final BlobServerAnnouncement announcement;
  private final ParsedAhead<byte[]> reports = new ParsedAhead<>();

  StatisticsValidation(
      String name,
      TxSender tx,
      BlobSource blobs,
      String blobUrl,
      BlobServerAnnouncement announcement) {
    this.name = name;
    this.tx = tx;
    this.blobs = blobs;
    this.blobUrl = blobUrl;
    this.announcement = announcement;
  }

  /** Starts fetching the reports submitted so far that are not being fetched yet. */
  void prefetch(Job job, Round round) {
    Hash id = TrainingState.id(job);
    FetchLimits limits = StatisticsStep.reportLimits(StatisticsStep.features(job));
    reports.add(
        id,
        ValidatorAgent.roundKey(id, round),
        round.getSubmissionsList(),
        s -> blobs.get(TrainingState.hash(s.getUpdateHash()), s.getBlobLocation(), limits));
  }

  /**
   * The aggregator's side: combines the valid reports and commits the combination's hash, rejecting
   * the others with the reason.
   */
  void commit(Job job, Round round) throws Exception {
    StatisticsStep.Outcome outcome;
    try {
      outcome = combine(job, round, Map.of());
    } catch (IllegalStateException e) {
      log.warn("{}: cannot combine the statistics: {}", name, e.getMessage());
      return;
    }
    blobs.client().local().put(outcome.blob());
    announcement.ensure();
    tx.send(
        TrainingMessages.MODULE,
        TrainingMessages.COMMIT_ROUND,
        CommitRound.newBuilder()
            .setJobId(job.getJobId())
            .setRound(STATISTICS_ROUND)
            .setAggregateHash(outcome.hash().toByteString())
            .addAllAccepted(outcome.accepted())
            .addAllRejected(outcome.rejected())
            .setBlobLocation(blobUrl)
            .build());
    log.info(
        "{}: committed the combined statistics of {} owners ({}){}",
        name,
        outcome.accepted().size(),
        outcome.hash().toHex().substring(0, 12),
        outcome.rejected().isEmpty() ? "" : ", rejected " + outcome.rejected().size());
  }

  /** A verifier's side: re-runs the combination, attests what it got. */
  void attest(Job job, Round round) throws Exception {
    Map<ByteString, String> honour = RoundAggregation.blobRejections(round.getCommit());
    StatisticsStep.Outcome outcome;
    try {
      outcome = combine(job, round, honour);
    } catch (IllegalStateException e) {
      log.warn("{}: cannot re-run the statistics step: {}", name, e.getMessage());
      return;
    }
    boolean matches = outcome.hash().toByteString().equals(round.getCommit().getAggregateHash());
    if (matches) {
      blobs.client().local().put(outcome.blob()); // served to owners, as verified weights are
    }
    tx.send(
        TrainingMessages.MODULE,
        TrainingMessages.ATTEST_ROUND,
        AttestRound.newBuilder()
            .setJobId(job.getJobId())
            .setRound(STATISTICS_ROUND)
            .setAggregateHash(outcome.hash().toByteString())
            .build());
    if (matches) {
      log.info("{}: attested the statistics ({})", name, outcome.hash().toHex().substring(0, 12));
    } else {
      log.warn(
          "{}: the committed statistics {} do not match the re-run {}",
          name,
          TrainingState.hash(round.getCommit().getAggregateHash()).toHex().substring(0, 12),
          outcome.hash().toHex().substring(0, 12));
    }
  }

  /** Forgets the jobs not in running, stopping their fetches. */
  void retain(Set<Hash> running) {
    reports.retain(running);
  }

  @Override
  public void close() {
    reports.close();
  }

  private StatisticsStep.Outcome combine(Job job, Round round, Map<ByteString, String> honour)
      throws InterruptedException {
    prefetch(job, round);
    Hash id = TrainingState.id(job);
    int features = StatisticsStep.features(job);
    ParsedAhead.Collected<byte[]> collected =
        reports.collect(
            id,
            ValidatorAgent.roundKey(id, round),
            StatisticsStep.reportLimits(features).deadline());
    Map<ByteString, String> unavailable = new HashMap<>(collected.failed());
    unavailable.putAll(honour);
    return StatisticsStep.run(
        collected.ready(),
        unavailable,
        job.getParticipantsList(),
        features,
        round.getSubmissionsList());
  }
}
