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
 * hospital for federated evaluation.
 */
public final class HospitalJob {
  /** One hidden layer: the risk has an interaction (old age with high glucose) a line misses. */
  public static final String MODEL = "mlp:32";

  /** Each hospital holds out a fifth of its patients to evaluate every round's model on. */
  public static final long TEST_FRACTION_PPM = 200_000;

  /** How every hospital trains, written into the job. */
  public static final TrainConfig TRAINING = new TrainConfig(2, 32, OptimizerKind.SGD, 0.1f, 0f);

  private HospitalJob() {}

  /**
   * The job's options for hospitals owners whose tables have the given schema, the last owner
   * malicious: multi-krum keeps all but one update, and a round commits with at least all but two.
   */
  public static JobOptions options(DatasetSchema schema, int hospitals, int rounds) {
    return JobOptions.builder()
        .setModel(ModelSpecs.preset(MODEL, schema))
        .setRounds(rounds)
        .setParticipantsPerRound(hospitals)
        .setStrategy("multi-krum:" + (hospitals - 1) + ":1")
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
}
