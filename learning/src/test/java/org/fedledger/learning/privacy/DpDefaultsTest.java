package org.fedledger.learning.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fedledger.learning.train.LearningRateSchedule;
import org.junit.jupiter.api.Test;

class DpDefaultsTest {
  @Test
  void theDpRateIsTheStepFactorTimesThePlainRateOverTheClipNorm() {
    assertThat(DpDefaults.learningRate(0.2, 1.0)).isEqualTo(DpDefaults.STEP_FACTOR * 0.2);
    // Half the clip norm, twice the rate: a clipped step keeps its length.
    assertThat(DpDefaults.learningRate(0.2, 0.5)).isEqualTo(2 * DpDefaults.learningRate(0.2, 1.0));
  }

  @Test
  void theDpBatchIsThePlainBatchButNeverBelowTheMinimum() {
    assertThat(DpDefaults.batchSize(16)).isEqualTo(DpDefaults.MIN_BATCH);
    assertThat(DpDefaults.batchSize(1)).isEqualTo(DpDefaults.MIN_BATCH);
    assertThat(DpDefaults.batchSize(DpDefaults.MIN_BATCH + 1)).isEqualTo(DpDefaults.MIN_BATCH + 1);
  }

  @Test
  void theDefaultScheduleIsOneTheTrainerAccepts() {
    assertThat(LearningRateSchedule.parse(DpDefaults.SCHEDULE).toString()).startsWith("cosine");
  }

  @Test
  void badPlainSettingsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> DpDefaults.learningRate(0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("plain learning rate must be a positive number, got 0.0");
    assertThatThrownBy(() -> DpDefaults.learningRate(0.2, Double.NaN))
        .hasMessageContaining("DP clip norm must be a positive number, got NaN");
    assertThatThrownBy(() -> DpDefaults.learningRate(Double.POSITIVE_INFINITY, 1))
        .hasMessageContaining("plain learning rate must be a positive number");
    assertThatThrownBy(() -> DpDefaults.batchSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batch size must be at least 1, got 0");
  }
}
