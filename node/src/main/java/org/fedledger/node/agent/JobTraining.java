package org.fedledger.node.agent;

import java.util.Optional;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.DpParams;
import org.fedledger.learning.aggregate.DpEnvelope;
import org.fedledger.learning.privacy.DpConfig;
import org.fedledger.learning.privacy.DpStrategies;
import org.fedledger.learning.train.LearningRateSchedule;
import org.fedledger.learning.train.TrainConfig;

/**
 * How a participant trains for a job: the settings the job fixes (local epochs, batch size,
 * learning rate and its schedule over the rounds, recorded on chain so that every participant
 * trains alike), and the participant's own for those it leaves at 0.
 */
public final class JobTraining {
  private JobTraining() {}

  /**
   * How to train round (1-based) of the job: its rate is the job's rate, or the participant's own
   * when the job fixes none, times the job's schedule's factor for that round of its rounds, as
   * {@code SimulationRunner} computes a simulation's, so that both train at the same float rate.
   *
   * @throws IllegalArgumentException if the round is not one of the job's, or its schedule does not
   *     parse (the contract should have refused the job)
   */
  public static TrainConfig of(CreateJob job, TrainConfig own, long round) {
    int epochs = job.getLocalEpochs() == 0 ? own.epochs() : Math.toIntExact(job.getLocalEpochs());
    int batch = job.getBatchSize() == 0 ? own.batchSize() : Math.toIntExact(job.getBatchSize());
    // Through double, as a simulation's (float) of its double rate: 50000 gives exactly 0.05f.
    double base =
        job.getLearningRateMicros() == 0 ? own.learningRate() : job.getLearningRateMicros() / 1e6;
    if (round < 1 || round > job.getRounds()) {
      throw new IllegalArgumentException(
          "round " + round + " is not one of the job's 1.." + job.getRounds());
    }
    float rate = schedule(job).rate(base, (int) round, Math.toIntExact(job.getRounds()));
    return new TrainConfig(epochs, batch, own.optimizer(), rate, own.proxMu());
  }

  /** The job's learning-rate schedule: constant when it names none. */
  public static LearningRateSchedule schedule(CreateJob job) {
    String spec = job.getLearningRateSchedule();
    return spec.isEmpty() ? LearningRateSchedule.CONSTANT : LearningRateSchedule.parse(spec);
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
   * rate to each owner (job create refuses both strategies for both). The envelope takes the job's
   * rate, the first round's: a schedule only lowers it, so the bound holds in every round, as in a
   * simulation.
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
