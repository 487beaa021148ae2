package org.fedledger.ledger.training;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.Attribute;
import org.fedledger.core.proto.Event;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.core.proto.training.AttestRound;
import org.fedledger.core.proto.training.CommitRound;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.DpAccounting;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.SubmitUpdate;

/**
 * The training module's events: their types, their attribute names, and one factory per event that
 * fixes its attributes and their order. Every event the contract emits is built here, so that
 * readers (node, cli, dashboard) can rely on these names. Numbers are decimal, hashes and addresses
 * lower-case hex.
 */
public final class TrainingEvents {
  public static final String JOB_CREATED = "JobCreated";
  public static final String PARTICIPANT_JOINED = "ParticipantJoined";
  public static final String JOB_STARTED = "JobStarted";
  public static final String JOB_CANCELLED = "JobCancelled";
  public static final String ESCROW_WITHDRAWN = "EscrowWithdrawn";
  public static final String ROUND_OPENED = "RoundOpened";
  public static final String ROUND_REOPENED = "RoundReopened";
  public static final String UPDATE_SUBMITTED = "UpdateSubmitted";
  public static final String ROUND_COMMITTED = "RoundCommitted";
  public static final String ROUND_ATTESTED = "RoundAttested";
  public static final String COMMIT_REJECTED = "CommitRejected";
  public static final String ROUND_METRICS_REPORTED = "RoundMetricsReported";
  public static final String EVALUATION_REPORTED = "EvaluationReported";
  public static final String REWARD_PAID = "RewardPaid";
  public static final String PARTICIPANT_SLASHED = "ParticipantSlashed";
  public static final String ROUND_FINALIZED = "RoundFinalized";
  public static final String JOB_COMPLETED = "JobCompleted";
  public static final String STATISTICS_ATTESTED = "StatisticsAttested";

  /** Attribute keys of the events above. */
  public static final class Attributes {
    public static final String JOB_ID = "job_id";
    public static final String ROUND = "round";
    public static final String SPONSOR = "sponsor";
    public static final String REWARD = "reward";
    public static final String ESCROW = "escrow";
    public static final String ROUNDS = "rounds";
    public static final String PARTICIPANTS_PER_ROUND = "participants_per_round";
    public static final String STRATEGY = "strategy";
    public static final String REQUIRED_USE = "required_use";
    public static final String MIN_STAKE = "min_stake";
    public static final String PRIVACY = "privacy";
    public static final String PARTICIPANT = "participant";
    public static final String DATASET_ID = "dataset_id";
    public static final String STAKE = "stake";
    public static final String PARTICIPANTS = "participants";
    public static final String REFUNDED = "refunded";
    public static final String AMOUNT = "amount";
    public static final String SELECTED = "selected";
    public static final String AGGREGATOR = "aggregator";
    public static final String UPDATE_DEADLINE = "update_deadline";
    public static final String COMMIT_DEADLINE = "commit_deadline";
    public static final String SUBMISSIONS = "submissions";
    public static final String MIN_UPDATES = "min_updates";
    public static final String UPDATE_HASH = "update_hash";
    public static final String SAMPLE_COUNT = "sample_count";
    public static final String TRAIN_LOSS = "train_loss";
    public static final String BLOB_LOCATION = "blob_location";
    public static final String AGGREGATE_HASH = "aggregate_hash";
    public static final String SERVER_STATE_HASH = "server_state_hash";
    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
    public static final String QUORUM = "quorum";
    public static final String ATTEST_DEADLINE = "attest_deadline";
    public static final String VALIDATOR = "validator";
    public static final String MATCHES = "matches";
    public static final String METRICS = "metrics";
    public static final String FEDERATED_METRICS = "federated_metrics";
    public static final String REASON = "reason";
    public static final String SLASHED = "slashed";
    public static final String NEXT_AGGREGATOR = "next_aggregator";
    public static final String PAID = "paid";
    public static final String ESCROW_REMAINING = "escrow_remaining";
    public static final String MODEL_ID = "model_id";
    public static final String WEIGHTS_HASH = "weights_hash";
    public static final String SCHEMA_HASH = "schema_hash";
    public static final String STANDARDIZE = "standardize";
    public static final String STATISTICS_HASH = "statistics_hash";
    public static final String DP_EPSILON_MICROS = "dp_epsilon_micros";
    public static final String DP_DELTA_PER_TRILLION = "dp_delta_per_trillion";

    private Attributes() {}
  }

  private TrainingEvents() {}

  static Event jobCreated(
      Hash job, Address sponsor, Address escrow, CreateJob spec, Optional<DpAccounting> dp) {
    Builder b =
        event(JOB_CREATED, job)
            .add(Attributes.SPONSOR, sponsor.toHex())
            .add(Attributes.REWARD, spec.getReward())
            .add(Attributes.ESCROW, escrow.toHex())
            .add(Attributes.ROUNDS, spec.getRounds())
            .add(Attributes.PARTICIPANTS_PER_ROUND, spec.getParticipantsPerRound())
            .add(Attributes.STRATEGY, spec.getStrategy())
            .add(Attributes.REQUIRED_USE, spec.getRequiredUse())
            .add(Attributes.MIN_STAKE, spec.getMinStake())
            .add(Attributes.PRIVACY, spec.getPrivacy().isEmpty() ? "none" : spec.getPrivacy())
            // Only when the job names one, so that jobs without emit what they always did.
            .addIfPresent(Attributes.SCHEMA_HASH, spec.getSchemaHash());
    if (spec.getStandardize()) {
      b.add(Attributes.STANDARDIZE, "true");
    }
    // Only for a DP job, so that other jobs emit what they always did.
    if (dp.isPresent()) {
      b.add(Attributes.DP_EPSILON_MICROS, dp.get().getEpsilonMicros())
          .add(Attributes.DP_DELTA_PER_TRILLION, dp.get().getDeltaPerTrillion());
    }
    return b.build();
  }

  static Event participantJoined(
      Hash job, Address participant, String datasetId, long stake, long participants) {
    return event(PARTICIPANT_JOINED, job)
        .add(Attributes.PARTICIPANT, participant.toHex())
        .add(Attributes.DATASET_ID, datasetId)
        .add(Attributes.STAKE, stake)
        .add(Attributes.PARTICIPANTS, participants)
        .build();
  }

  static Event jobStarted(Hash job) {
    return event(JOB_STARTED, job).build();
  }

  static Event jobCancelled(Hash job, long refunded) {
    return event(JOB_CANCELLED, job).add(Attributes.REFUNDED, refunded).build();
  }

  static Event escrowWithdrawn(Hash job, long amount) {
    return event(ESCROW_WITHDRAWN, job).add(Attributes.AMOUNT, amount).build();
  }

  static Event roundOpened(Hash job, Round opened, List<ByteString> selectedInOrder) {
    List<String> selected = new ArrayList<>();
    for (ByteString a : selectedInOrder) {
      selected.add(TrainingHex.of(a));
    }
    return event(ROUND_OPENED, job)
        .add(Attributes.ROUND, opened.getRound())
        .add(Attributes.SELECTED, String.join(",", selected))
        .add(Attributes.AGGREGATOR, TrainingHex.of(opened.getAggregator()))
        .add(Attributes.UPDATE_DEADLINE, opened.getUpdateDeadline())
        .add(Attributes.COMMIT_DEADLINE, opened.getCommitDeadline())
        .build();
  }

  static Event roundReopened(Hash job, Round starved, long minUpdates) {
    return event(ROUND_REOPENED, job)
        .add(Attributes.ROUND, starved.getRound())
        .add(Attributes.SUBMISSIONS, starved.getSubmissionTotal())
        .add(Attributes.MIN_UPDATES, minUpdates)
        .build();
  }

  static Event updateSubmitted(Hash job, Round updated, Address participant, SubmitUpdate m) {
    return event(UPDATE_SUBMITTED, job)
        .add(Attributes.ROUND, updated.getRound())
        .add(Attributes.PARTICIPANT, participant.toHex())
        .add(Attributes.UPDATE_HASH, Hash.of(m.getUpdateHash()).toHex())
        .add(Attributes.SAMPLE_COUNT, m.getSampleCount())
        .add(Attributes.TRAIN_LOSS, m.getTrainLoss())
        .add(Attributes.BLOB_LOCATION, m.getBlobLocation())
        .add(Attributes.SUBMISSIONS, updated.getSubmissionTotal())
        .add(Attributes.SELECTED, updated.getSelectedTotal())
        .build();
  }

  static Event roundCommitted(Hash job, Round committed, Address aggregator, CommitRound m) {
    return event(ROUND_COMMITTED, job)
        .add(Attributes.ROUND, committed.getRound())
        .add(Attributes.AGGREGATOR, aggregator.toHex())
        .add(Attributes.AGGREGATE_HASH, Hash.of(m.getAggregateHash()).toHex())
        .add(Attributes.SERVER_STATE_HASH, TrainingHex.orEmpty(m.getServerStateHash()))
        .add(Attributes.BLOB_LOCATION, m.getBlobLocation())
        .add(Attributes.ACCEPTED, m.getAcceptedCount())
        .add(Attributes.REJECTED, m.getRejectedCount())
        .add(Attributes.QUORUM, committed.getQuorum())
        .add(Attributes.ATTEST_DEADLINE, committed.getCommitDeadline())
        .build();
  }

  static Event roundAttested(
      Hash job, long round, Address validator, AttestRound m, boolean matches) {
    return event(ROUND_ATTESTED, job)
        .add(Attributes.ROUND, round)
        .add(Attributes.VALIDATOR, validator.toHex())
        .add(Attributes.AGGREGATE_HASH, Hash.of(m.getAggregateHash()).toHex())
        .add(Attributes.SERVER_STATE_HASH, TrainingHex.orEmpty(m.getServerStateHash()))
        .add(Attributes.MATCHES, Boolean.toString(matches))
        .build();
  }

  static Event commitRejected(
      Hash job, Round replaced, ByteString failed, String reason, long slashed) {
    return event(COMMIT_REJECTED, job)
        .add(Attributes.ROUND, replaced.getRound())
        .add(Attributes.AGGREGATOR, TrainingHex.of(failed))
        .add(Attributes.REASON, reason)
        .add(Attributes.SLASHED, slashed)
        .add(Attributes.NEXT_AGGREGATOR, TrainingHex.of(replaced.getAggregator()))
        .add(Attributes.COMMIT_DEADLINE, replaced.getCommitDeadline())
        .build();
  }

  /** "name=value" pairs, comma-separated, in report order. */
  static Event roundMetricsReported(Hash job, long round, List<Metric> metrics) {
    StringBuilder reported = new StringBuilder();
    for (Metric metric : metrics) {
      reported.append(reported.isEmpty() ? "" : ",").append(metric.getName()).append('=');
      reported.append(metric.getValue());
    }
    return event(ROUND_METRICS_REPORTED, job)
        .add(Attributes.ROUND, round)
        .add(Attributes.METRICS, reported.toString())
        .build();
  }

  /**
   * An owner's federated evaluation of a final round's aggregate; federated_metrics is the round's
   * sample-weighted mean after it.
   */
  static Event evaluationReported(
      Hash job,
      long round,
      Address participant,
      long sampleCount,
      List<Metric> metrics,
      List<Metric> federatedMetrics) {
    return event(EVALUATION_REPORTED, job)
        .add(Attributes.ROUND, round)
        .add(Attributes.PARTICIPANT, participant.toHex())
        .add(Attributes.SAMPLE_COUNT, sampleCount)
        .add(Attributes.METRICS, joined(metrics))
        .add(Attributes.FEDERATED_METRICS, joined(federatedMetrics))
        .build();
  }

  private static String joined(List<Metric> metrics) {
    StringBuilder out = new StringBuilder();
    for (Metric metric : metrics) {
      out.append(out.isEmpty() ? "" : ",").append(metric.getName()).append('=');
      out.append(metric.getValue());
    }
    return out.toString();
  }

  static Event rewardPaid(Hash job, long round, Address participant, long amount) {
    return event(REWARD_PAID, job)
        .add(Attributes.ROUND, round)
        .add(Attributes.PARTICIPANT, participant.toHex())
        .add(Attributes.AMOUNT, amount)
        .build();
  }

  static Event participantSlashed(
      Hash job, long round, Address participant, long amount, String reason) {
    return event(PARTICIPANT_SLASHED, job)
        .add(Attributes.ROUND, round)
        .add(Attributes.PARTICIPANT, participant.toHex())
        .add(Attributes.AMOUNT, amount)
        .add(Attributes.REASON, reason)
        .build();
  }

  static Event roundFinalized(
      Hash job, long round, ByteString aggregateHash, long paid, long escrowRemaining) {
    return event(ROUND_FINALIZED, job)
        .add(Attributes.ROUND, round)
        .add(Attributes.AGGREGATE_HASH, Hash.of(aggregateHash).toHex())
        .add(Attributes.PAID, paid)
        .add(Attributes.ESCROW_REMAINING, escrowRemaining)
        .build();
  }

  static Event jobCompleted(Hash job, String modelId, ByteString weightsHash, long paid) {
    return event(JOB_COMPLETED, job)
        .add(Attributes.MODEL_ID, modelId)
        .add(Attributes.WEIGHTS_HASH, Hash.of(weightsHash).toHex())
        .add(Attributes.PAID, paid)
        .build();
  }

  /** The statistics step finalized: every owner standardizes with these statistics. */
  static Event statisticsAttested(Hash job, ByteString statisticsHash) {
    return event(STATISTICS_ATTESTED, job)
        .add(Attributes.STATISTICS_HASH, Hash.of(statisticsHash).toHex())
        .build();
  }

  /** Every training event names its job first. */
  private static Builder event(String type, Hash job) {
    return new Builder(type).add(Attributes.JOB_ID, job.toHex());
  }

  private static final class Builder {
    private final Event.Builder e;

    Builder(String type) {
      e = Event.newBuilder().setModule(TrainingModule.NAME).setType(type);
    }

    Builder add(String key, String value) {
      e.addAttributes(Attribute.newBuilder().setKey(key).setValue(value));
      return this;
    }

    Builder add(String key, long value) {
      return add(key, Long.toString(value));
    }

    Builder addIfPresent(String key, ByteString hash) {
      return hash.isEmpty() ? this : add(key, TrainingHex.orEmpty(hash));
    }

    Event build() {
      return e.build();
    }
  }
}
