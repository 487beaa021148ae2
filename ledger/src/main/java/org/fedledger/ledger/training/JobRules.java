package org.fedledger.ledger.training;

import com.google.protobuf.ByteString;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.registry.Dataset;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JoinJob;
import org.fedledger.core.proto.training.Round;
import org.fedledger.ledger.module.Bytes;
import org.fedledger.ledger.module.TxFailedException;

/**
 * Well-formedness of CreateJob, the rule a join must pass, and the free-form parts of other
 * messages.
 */
final class JobRules {
  static final int MAX_SPEC_CHARS = 65_536;
  static final int MAX_TEXT = 256;
  static final int MAX_LOCATION = 512;
  static final int MAX_METRICS = 32;
  static final long MAX_BLOCKS = 10_000_000;
  private static final Pattern TERM = Pattern.compile("[\\x21-\\x7e]{1,128}");
  private static final Pattern METRIC = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  private JobRules() {}

  /**
   * What a join must satisfy at any height, read alike by the mempool and by execution: the dataset
   * is registered, the sender's, of the job's schema (when the job names a schema hash; a job
   * without one takes any dataset, as jobs did before schema hashes), consents to the job's use,
   * has a privacy budget exactly if the job is DP ({@link JobPrivacy#checkPairing}), and the stake
   * reaches the job's minimum. (Whether the job still takes participants, and whether the stake can
   * be bonded, is decided when the join executes.)
   */
  static void checkJoin(Job job, JoinJob m, Address sender, Optional<Dataset> dataset)
      throws TxFailedException {
    Dataset d =
        dataset.orElseThrow(
            () ->
                Fail.invalid(
                    "dataset '"
                        + m.getDatasetId()
                        + "' is not registered; send registry/RegisterDataset first"));
    if (!d.getOwner().equals(sender.toByteString())) {
      throw Fail.unauthorized(
          "dataset '"
              + m.getDatasetId()
              + "' is owned by "
              + TrainingHex.of(d.getOwner())
              + ", not by the sender "
              + sender);
    }
    ByteString schema = job.getSpec().getSchemaHash();
    if (!schema.isEmpty() && !d.getSchemaHash().equals(schema)) {
      throw Fail.invalid(
          "dataset "
              + m.getDatasetId()
              + " has schema "
              + (d.getSchemaHash().isEmpty()
                  ? "(none recorded)"
                  : TrainingHex.orEmpty(d.getSchemaHash()))
              + ", job needs "
              + TrainingHex.orEmpty(schema)
              + "; join with a dataset registered under the job's schema");
    }
    String use = job.getSpec().getRequiredUse();
    if (!d.getConsentList().contains(use)) {
      throw Fail.invalid(
          "dataset '"
              + m.getDatasetId()
              + "' does not consent to '"
              + use
              + "' (it allows "
              + d.getConsentList()
              + "); join with a dataset whose owner allows that use");
    }
    JobPrivacy.checkPairing(job, d);
    long minStake = Math.max(1, job.getSpec().getMinStake());
    if (m.getStake() < minStake) {
      throw Fail.invalid(
          "stake "
              + Long.toUnsignedString(m.getStake())
              + " is below the job's minimum of "
              + minStake);
    }
  }

  static void check(CreateJob m, TrainingParams params) throws TxFailedException {
    if (m.getModelSpec().isEmpty() || m.getModelSpec().length() > MAX_SPEC_CHARS) {
      throw Fail.invalid("model_spec (JSON) must be 1-" + MAX_SPEC_CHARS + " characters");
    }
    Hash specHash = hash32("spec_hash", m.getSpecHash().toByteArray());
    Hash actual = Sha256.hash(Bytes.utf8(m.getModelSpec()));
    if (!actual.equals(specHash)) {
      throw Fail.invalid(
          "spec_hash " + specHash + " is not SHA-256 of model_spec (UTF-8), which is " + actual);
    }
    hash32("initial_weights_hash", m.getInitialWeightsHash().toByteArray());
    optionalHash32("schema_hash", m.getSchemaHash());
    range("rounds", m.getRounds(), 1, params.maxRounds());
    range(
        "participants_per_round", m.getParticipantsPerRound(), 1, params.maxParticipantsPerRound());
    if (m.getStrategy().isEmpty() || m.getStrategy().length() > 64) {
      throw Fail.invalid("strategy (e.g. \"fedavg\", \"multi-krum:3\") must be 1-64 characters");
    }
    if (!TERM.matcher(m.getRequiredUse()).matches()) {
      throw Fail.invalid(
          "required_use must be a consent term of 1-128 printable characters without spaces,"
              + " e.g. \"model-training:fashion\"");
    }
    range("min_stake", m.getMinStake(), 0, Long.MAX_VALUE);
    range("reward", m.getReward(), 1, Long.MAX_VALUE);
    range("round_blocks", m.getRoundBlocks(), 1, MAX_BLOCKS);
    range("commit_blocks", m.getCommitBlocks(), params.minCommitBlocks(), MAX_BLOCKS);
    range("attest_quorum", m.getAttestQuorum(), 0, 1000);
    range("min_updates", m.getMinUpdates(), 0, m.getParticipantsPerRound());
    text("licence", m.getLicence(), MAX_TEXT);
    text("parent_model_id", m.getParentModelId(), MAX_TEXT);
    text("privacy", m.getPrivacy(), MAX_TEXT);
    range("local_epochs", m.getLocalEpochs(), 0, TrainingModule.MAX_LOCAL_EPOCHS);
    range("batch_size", m.getBatchSize(), 0, TrainingModule.MAX_BATCH_SIZE);
    range(
        "learning_rate_micros",
        m.getLearningRateMicros(),
        0,
        TrainingModule.MAX_LEARNING_RATE_MICROS);
    // Below 100 %: an owner must keep something to train on.
    range("test_fraction_ppm", m.getTestFractionPpm(), 0, 999_999);
    Optional<String> schedule = ScheduleRule.problem(m.getLearningRateSchedule());
    if (schedule.isPresent()) {
      throw Fail.invalid(schedule.get());
    }
  }

  static Hash hash32(String field, byte[] bytes) throws TxFailedException {
    if (bytes.length != Hash.LENGTH) {
      throw Fail.invalid(field + " must be 32 bytes (SHA-256), got " + bytes.length);
    }
    return Hash.of(bytes);
  }

  /**
   * Checks that a message names its round's committed aggregate (32 bytes, and the commit's hash),
   * as metrics and evaluations report on that aggregate only. The refusal names both hashes and
   * ends with hint, so that each message can say what to do.
   */
  static void requireCommittedAggregate(Round round, ByteString claimed, String hint)
      throws TxFailedException {
    Hash aggregate = hash32("aggregate_hash", claimed.toByteArray());
    if (!round.getCommit().getAggregateHash().equals(claimed)) {
      throw Fail.invalid(
          "round "
              + round.getRound()
              + " committed aggregate "
              + Hash.of(round.getCommit().getAggregateHash()).toHex()
              + ", not "
              + aggregate.toHex()
              + hint);
    }
  }

  /** An optional hash: empty, or 32 bytes. */
  static void optionalHash32(String field, ByteString bytes) throws TxFailedException {
    if (!bytes.isEmpty() && bytes.size() != Hash.LENGTH) {
      throw Fail.invalid(
          field + " must be empty or 32 bytes (SHA-256), got " + bytes.size() + " bytes");
    }
  }

  static void range(String field, long value, long min, long max) throws TxFailedException {
    // uint64 values above 2^63-1 arrive negative and are out of every range here.
    if (value < min || value > max) {
      throw Fail.invalid(
          field
              + " must be between "
              + min
              + " and "
              + max
              + ", got "
              + Long.toUnsignedString(value));
    }
  }

  static void text(String field, String value, int max) throws TxFailedException {
    if (value.length() > max) {
      throw Fail.invalid(field + " is longer than " + max + " characters");
    }
  }

  /** Metrics must have distinct lowercase names in ascending order (one encoding per content). */
  static void checkMetrics(List<Metric> metrics) throws TxFailedException {
    if (metrics.size() > MAX_METRICS) {
      throw Fail.invalid("at most " + MAX_METRICS + " metrics, got " + metrics.size());
    }
    Set<String> seen = new HashSet<>();
    String previous = null;
    for (Metric m : metrics) {
      if (!METRIC.matcher(m.getName()).matches()) {
        throw Fail.invalid(
            "metric name '" + m.getName() + "' must match [a-z][a-z0-9_]{0,63}, e.g. accuracy_ppm");
      }
      if (!seen.add(m.getName()) || (previous != null && previous.compareTo(m.getName()) > 0)) {
        throw Fail.invalid("metrics must be sorted by name with no name twice: " + m.getName());
      }
      previous = m.getName();
    }
  }
}
