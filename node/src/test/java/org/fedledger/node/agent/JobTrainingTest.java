package org.fedledger.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.DpParams;
import org.fedledger.learning.privacy.DpConfig;
import org.fedledger.learning.train.LearningRateSchedule;
import org.fedledger.learning.train.OptimizerKind;
import org.fedledger.learning.train.TrainConfig;
import org.junit.jupiter.api.Test;

class JobTrainingTest {
  private final TrainConfig own = new TrainConfig(3, 16, OptimizerKind.ADAM, 0.001f, 0.1f);

  @Test
  void aJobWithoutSettingsLeavesTheParticipantsOwn() {
    CreateJob job = CreateJob.newBuilder().setRounds(3).build();
    for (long round = 1; round <= 3; round++) {
      assertThat(JobTraining.of(job, own, round)).isEqualTo(own);
    }
  }

  @Test
  void theJobsSettingsWinAndItsRateIsExactlyTheSimulationsFloat() {
    CreateJob job =
        CreateJob.newBuilder()
            .setRounds(2)
            .setLocalEpochs(2)
            .setBatchSize(64)
            .setLearningRateMicros(50_000)
            .build();
    TrainConfig c = JobTraining.of(job, own, 2);
    assertThat(c.epochs()).isEqualTo(2);
    assertThat(c.batchSize()).isEqualTo(64);
    assertThat(c.learningRate()).isEqualTo((float) 0.05);
    assertThat(c.optimizer()).isEqualTo(OptimizerKind.ADAM);
    assertThat(c.proxMu()).isEqualTo(0.1f);
    assertThat(JobTraining.of(CreateJob.newBuilder().setRounds(1).setBatchSize(8).build(), own, 1))
        .isEqualTo(new TrainConfig(3, 8, OptimizerKind.ADAM, 0.001f, 0.1f));
  }

  @Test
  void aCosineJobTrainsEachRoundAtTheSchedulesRateOfTheJobsRate() {
    CreateJob job =
        CreateJob.newBuilder()
            .setRounds(5)
            .setLearningRateMicros(800_000)
            .setLearningRateSchedule("cosine")
            .build();
    LearningRateSchedule cosine = LearningRateSchedule.parse("cosine");
    for (int round = 1; round <= 5; round++) {
      // What SimulationRunner trains round r of 5 at, for a --lr of 0.8.
      assertThat(JobTraining.of(job, own, round).learningRate())
          .as("round %d", round)
          .isEqualTo(cosine.rate(0.8, round, 5));
    }
    assertThat(JobTraining.of(job, own, 1).learningRate()).isEqualTo(0.8f);
    assertThat(JobTraining.of(job, own, 3).learningRate()).isEqualTo((float) (0.8 * 0.5));
    // Down to Float.MIN_NORMAL rather than 0 in the last round, which would stop training.
    assertThat(JobTraining.of(job, own, 5).learningRate()).isLessThan(1e-6f).isPositive();
  }

  @Test
  void aScheduleWithoutAJobRateScalesTheOwnersOwnRate() {
    CreateJob job = CreateJob.newBuilder().setRounds(3).setLearningRateSchedule("exp:0.5").build();
    assertThat(JobTraining.of(job, own, 1).learningRate()).isEqualTo(0.001f);
    assertThat(JobTraining.of(job, own, 3).learningRate())
        .isEqualTo(LearningRateSchedule.parse("exp:0.5").rate(0.001f, 3, 3))
        .isEqualTo((float) ((double) 0.001f * 0.25));
    assertThat(JobTraining.schedule(CreateJob.getDefaultInstance()).isConstant()).isTrue();
  }

  @Test
  void aRoundOutsideTheJobOrABadScheduleIsRefusedWithTheReason() {
    CreateJob job = CreateJob.newBuilder().setRounds(3).setLearningRateSchedule("cosine").build();
    assertThatThrownBy(() -> JobTraining.of(job, own, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("round 4 is not one of the job's 1..3");
    assertThatThrownBy(() -> JobTraining.of(job, own, 0))
        .hasMessageContaining("round 0 is not one of the job's 1..3");
    CreateJob bad = job.toBuilder().setLearningRateSchedule("linear").build();
    assertThatThrownBy(() -> JobTraining.of(bad, own, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown schedule 'linear'");
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
