package org.fedledger.node.agent;

import org.fedledger.core.proto.training.CreateJob;
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
}
