package org.fedledger.node.agent;

import java.util.Optional;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.DpParams;
import org.fedledger.learning.aggregate.DpEnvelope;
import org.fedledger.learning.privacy.DpConfig;
import org.fedledger.learning.privacy.DpStrategies;
import org.fedledger.learning.train.TrainConfig;

/**
 * How a participant trains for a job: the settings the job fixes (local epochs, batch size,
 * learning rate, recorded on chain so that every participant trains alike), and the participant's
 * own for those it leaves at 0.
 */
public final class JobTraining {
  private JobTraining() {}

  public static TrainConfig of(CreateJob job, TrainConfig own) {
    int epochs = job.getLocalEpochs() == 0 ? own.epochs() : Math.toIntExact(job.getLocalEpochs());
    int batch = job.getBatchSize() == 0 ? own.batchSize() : Math.toIntExact(job.getBatchSize());
    // Through double, as a simulation's (float) of its double rate: 50000 gives exactly 0.05f.
    float rate =
        job.getLearningRateMicros() == 0
            ? own.learningRate()
            : (float) (job.getLearningRateMicros() / 1e6);
    return new TrainConfig(epochs, batch, own.optimizer(), rate, own.proxMu());
  }

  /**
   * The job's DP-SGD parameters ({@code CreateJob.dp}), empty for a job without differential
   * privacy. Read as the chain holds them, so that what an owner trains with is what the contract
   * accounts.
   *
   * @throws IllegalArgumentException if the parameters are out of range (the contract should have
   *     refused the job)
   */
  public static Optional<DpConfig> privacy(CreateJob job) {
    if (!job.hasDp()) {
      return Optional.empty();
    }
    DpParams dp = job.getDp();
    return Optional.of(
        DpConfig.fromMicros(
            dp.getClipNormMicros(),
            dp.getNoiseMultiplierMicros(),
            dp.getSampleRatePpm(),
            dp.getLocalSteps()));
  }

  /**
   * What an honest update of the job can look like under its DP-SGD, for the {@code dp-bounded} and
   * {@code dp-evidence} strategies: empty for a job without DP, or one that leaves the learning
   * rate to each owner (job create refuses both strategies for both).
   */
  public static Optional<DpEnvelope> envelope(CreateJob job) {
    if (job.getLearningRateMicros() == 0) {
      return Optional.empty();
    }
    // The owners' rate, as of() gives it to them.
    float rate = (float) (job.getLearningRateMicros() / 1e6);
    return privacy(job).map(dp -> DpStrategies.envelope(dp, rate));
  }
}
