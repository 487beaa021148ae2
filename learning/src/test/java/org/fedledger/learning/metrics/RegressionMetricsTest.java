package org.fedledger.learning.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RegressionMetricsTest {
  @Test
  void singleOutputMatchesHandComputedValues() {
    // errors 0.5 -0.5 0 -1: MSE = (0.25+0.25+0+1)/4 = 0.375; MAE = 2/4 = 0.5.
    // mean target 2.875; SS_tot = 0.015625+11.390625+0.765625+17.015625 = 29.1875;
    // R² = 1 - 1.5/29.1875.
    RegressionMetrics m =
        RegressionMetrics.of(new float[] {3, -0.5f, 2, 7}, new float[] {2.5f, 0, 2, 8}, 1);
    assertThat(m.rmse()).isCloseTo(Math.sqrt(0.375), within(1e-9));
    assertThat(m.mae()).isCloseTo(0.5, within(1e-9));
    assertThat(m.r2()).isCloseTo(1 - 1.5 / 29.1875, within(1e-9));
    assertThat(m.asMap()).containsOnlyKeys("rmse", "mae", "r2");
    assertThat(m.headline()).isEqualTo(m.rmse());
  }

  @Test
  void severalOutputsAverageThePerOutputMetrics() {
    // output 0: targets 0.5 -1 7, predictions 0 -1 8: errors .5 0 -1, MSE 1.25/3, MAE 0.5,
    //   mean 6.5/3, SS_tot = 0.5^2+(-1)^2+7^2 - 3*(6.5/3)^2 = 50.25 - 14.0833.. = 36.1666..
    // output 1: targets 1 1 -6, predictions 2 2 -5: errors -1 -1 -1, MSE 1, MAE 1,
    //   mean -4/3, SS_tot = 1+1+36 - 3*(16/9) = 32.6666..
    float[] targets = {0.5f, 1, -1, 1, 7, -6};
    float[] predictions = {0, 2, -1, 2, 8, -5};
    RegressionMetrics m = RegressionMetrics.of(targets, predictions, 2);
    double ssTot0 = 50.25 - 3 * (6.5 / 3) * (6.5 / 3);
    double ssTot1 = 38 - 3 * (4.0 / 3) * (4.0 / 3);
    assertThat(m.rmse()).isCloseTo((Math.sqrt(1.25 / 3) + 1) / 2, within(1e-9));
    assertThat(m.mae()).isCloseTo(0.75, within(1e-9));
    assertThat(m.r2()).isCloseTo(((1 - 1.25 / ssTot0) + (1 - 3 / ssTot1)) / 2, within(1e-6));
  }

  @Test
  void aConstantTargetHasRSquaredOneWhenExactAndZeroOtherwise() {
    assertThat(RegressionMetrics.of(new float[] {2, 2, 2}, new float[] {2, 2, 2}, 1).r2())
        .isEqualTo(1.0);
    RegressionMetrics off = RegressionMetrics.of(new float[] {2, 2, 2}, new float[] {1, 2, 3}, 1);
    assertThat(off.r2()).isEqualTo(0.0);
    assertThat(off.rmse()).isCloseTo(Math.sqrt(2.0 / 3), within(1e-9));
  }

  @Test
  void predictingTheMeanScoresZeroAndWorseThanTheMeanScoresBelowZero() {
    assertThat(RegressionMetrics.of(new float[] {1, 3}, new float[] {2, 2}, 1).r2()).isEqualTo(0.0);
    assertThat(RegressionMetrics.of(new float[] {1, 3}, new float[] {3, 1}, 1).r2())
        .isEqualTo(-3.0);
  }

  @Test
  void refusesEmptyMismatchedRaggedAndNonFiniteInput() {
    assertThatThrownBy(() -> RegressionMetrics.of(new float[0], new float[0], 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no samples");
    assertThatThrownBy(() -> RegressionMetrics.of(new float[2], new float[3], 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 targets but 3 predictions");
    assertThatThrownBy(() -> RegressionMetrics.of(new float[3], new float[3], 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a whole number of samples of 2 outputs");
    assertThatThrownBy(
            () -> RegressionMetrics.of(new float[] {1, Float.NaN}, new float[] {1, 1}, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("target 1 is NaN");
    assertThatThrownBy(
            () ->
                RegressionMetrics.of(
                    new float[] {1, 1}, new float[] {1, Float.POSITIVE_INFINITY}, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prediction 1 is Infinity");
  }
}
