package org.fedledger.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.DpParams;
import org.fedledger.learning.privacy.DpConfig;
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

  @Test
  void aJobsDpParametersBecomeTheOwnersDpSgd() {
    assertThat(JobTraining.privacy(CreateJob.getDefaultInstance())).isEmpty();
    CreateJob job =
        CreateJob.newBuilder()
            .setDp(
                DpParams.newBuilder()
                    .setClipNormMicros(1_000_000)
                    .setNoiseMultiplierMicros(1_100_000)
                    .setSampleRatePpm(4_267)
                    .setLocalSteps(50)
                    .setDeltaPerTrillion(10_000_000))
            .build();
    DpConfig dp = JobTraining.privacy(job).orElseThrow();
    assertThat(dp.clipNorm()).isEqualTo(1f);
    assertThat(dp.noiseMultiplier()).isEqualTo(1.1f);
    assertThat(dp.sampleRate()).isEqualTo(0.004267);
    assertThat(dp.steps()).isEqualTo(50);
  }

  @Test
  void aJobWithAbsurdDpParametersIsRefusedWithTheReason() {
    CreateJob job =
        CreateJob.newBuilder()
            .setDp(DpParams.newBuilder().setClipNormMicros(1_000_000).setSampleRatePpm(100))
            .build();
    assertThatThrownBy(() -> JobTraining.privacy(job))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("noise multiplier");
  }
}
