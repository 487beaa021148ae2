package org.fedledger.cli.demo.hospitals;

import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.train.OptimizerKind;
import org.fedledger.learning.train.TrainConfig;
import org.fedledger.node.agent.JobOptions;

/**
 * The job of {@code fedledger demo --scenario hospitals}, in one place: a small MLP on the patient
 * table, multi-krum against the malicious hospital, the statistics step (the hospitals' features
 * sit on very different scales: ages, blood pressures, counts), and a local test split at every
 * hospital for federated evaluation. With {@code --dp-epsilon} the job trains with DP-SGD instead
 * ({@link HospitalPrivacy}), on tables in reference units and with a norm-bounded strategy.
 */
public final class HospitalJob {
  /** One hidden layer: the risk has an interaction (old age with high glucose) a line misses. */
  public static final String MODEL = "mlp:32";

  /** Each hospital holds out a fifth of its patients to evaluate every round's model on. */
  public static final long TEST_FRACTION_PPM = 200_000;

  /** How every hospital trains, written into the job. */
  public static final TrainConfig TRAINING = new TrainConfig(2, 32, OptimizerKind.SGD, 0.1f, 0f);

  /**
   * How every hospital trains under DP: as {@link #TRAINING} at 4 times the learning rate, the rule
   * {@code bench privacy} uses (BENCHMARKS.md, "Differential privacy"): clipping shortens the
   * gradients and the noise averages out over the larger steps. At 0.1 the DP job reached 66 % in
   * three rounds.
   */
  public static final TrainConfig DP_TRAINING = TRAINING.withLearningRate(0.4f);

  private HospitalJob() {}

  /**
   * A DP job's strategy: each update clipped to norm 2, then averaged. Multi-Krum cannot run under
   * DP-SGD's noise (the distances it ranks updates by measure mostly noise, see BENCHMARKS.md
   * "Differential privacy"), and {@code job create} refuses the pair; norm clipping bounds what the
   * malicious hospital's update can do to the average instead of rejecting it.
   */
  public static final String DP_STRATEGY = "fedavg+clip:2";

  /**
   * The job's options for hospitals owners whose tables have the given schema, the last owner
   * malicious: multi-krum keeps all but one update (under DP, {@link #DP_STRATEGY}), and a round
   * commits with at least all but two.
   */
  public static JobOptions options(DatasetSchema schema, int hospitals, int rounds, boolean dp) {
    return JobOptions.builder()
        .setModel(ModelSpecs.preset(MODEL, schema))
        .setRounds(rounds)
        .setParticipantsPerRound(hospitals)
        .setStrategy(dp ? DP_STRATEGY : "multi-krum:" + (hospitals - 1) + ":1")
        .optMinUpdates(hospitals - 2)
        .optReward(1_000_000)
        .optStake(10_000)
        .optRoundBlocks(300)
        .optCommitBlocks(300)
        .optAttestQuorum(1)
        .build();
  }

  /** The fields JobOptions does not carry: standardization and the local test split. */
  public static void fields(CreateJob.Builder job) {
    job.setStandardize(true).setTestFractionPpm(TEST_FRACTION_PPM);
  }

  /**
   * A DP job's fields: its DP-SGD parameters for the job's rounds and the local test split; no
   * standardization (the statistics step is not private; the DP tables come in reference units
   * instead, {@link PatientRecords#writeReferenceScaledCsv}).
   */
  public static void fields(CreateJob.Builder job, HospitalPrivacy privacy) {
    job.setTestFractionPpm(TEST_FRACTION_PPM)
        .setDp(privacy.params(DP_TRAINING, Math.toIntExact(job.getRounds())));
  }
}
