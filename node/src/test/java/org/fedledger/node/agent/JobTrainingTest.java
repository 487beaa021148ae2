package org.fedledger.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.learning.train.OptimizerKind;
import org.fedledger.learning.train.TrainConfig;
import org.junit.jupiter.api.Test;

class JobTrainingTest {
  private final TrainConfig own = new TrainConfig(3, 16, OptimizerKind.ADAM, 0.001f, 0.1f);

  @Test
  void aJobWithoutSettingsLeavesTheParticipantsOwn() {
    assertThat(JobTraining.of(CreateJob.getDefaultInstance(), own)).isEqualTo(own);
  }

  @Test
  void theJobsSettingsWinAndItsRateIsExactlyTheSimulationsFloat() {
    CreateJob job =
        CreateJob.newBuilder()
            .setLocalEpochs(2)
            .setBatchSize(64)
            .setLearningRateMicros(50_000)
            .build();
    TrainConfig c = JobTraining.of(job, own);
    assertThat(c.epochs()).isEqualTo(2);
    assertThat(c.batchSize()).isEqualTo(64);
    assertThat(c.learningRate()).isEqualTo((float) 0.05);
    assertThat(c.optimizer()).isEqualTo(OptimizerKind.ADAM);
    assertThat(c.proxMu()).isEqualTo(0.1f);
    assertThat(JobTraining.of(CreateJob.newBuilder().setBatchSize(8).build(), own))
        .isEqualTo(new TrainConfig(3, 8, OptimizerKind.ADAM, 0.001f, 0.1f));
  }
}
