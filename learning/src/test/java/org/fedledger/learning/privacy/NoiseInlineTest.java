package org.fedledger.learning.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NoiseInlineTest {
  // q 0.3 over 40 records, noise σ·C = 2·1 on 1,000 coordinates, 6 steps.
  private static final DpConfig DP = new DpConfig(1f, 2f, 0.3, 6);
  private static final int RECORDS = 40;
  private static final int COORDINATES = 1_000;
  private static final double GRID = SecureNoise.granularity(1.0, COORDINATES);

  @Test
  void drawingInlineGivesTheRecordsAndNoiseThatDrawingAheadGivesForTheSameKey() {
    try (NoiseInline inline =
            NoiseInline.start(
                SecureNoise.withFixedKeyForTests(21), DP, RECORDS, COORDINATES, GRID);
        NoiseAhead ahead =
            NoiseAhead.start(
                SecureNoise.withFixedKeyForTests(21), DP, RECORDS, COORDINATES, GRID)) {
      for (int step = 0; step < DP.steps(); step++) {
        StepDraws expected = ahead.next();
        StepDraws actual = inline.next();

        assertThat(actual.size()).as("step %d sample size", step).isEqualTo(expected.size());
        assertThat(Arrays.copyOf(actual.records(), actual.size()))
            .as("step %d records", step)
            .containsExactly(Arrays.copyOf(expected.records(), expected.size()));
        assertThat(actual.granules())
            .as("step %d noise", step)
            .containsExactly(expected.granules());
        assertThat(actual.granules()).isNotEqualTo(new double[COORDINATES]);
      }
    }
  }

  @Test
  void smallModelsDrawInlineAndLargeOnesAhead() {
    long small = StepDrawing.INLINE_BELOW_COORDINATES - 1;
    long large = StepDrawing.INLINE_BELOW_COORDINATES;
    try (StepDrawing inline = StepDrawing.start(SecureNoise.create(), DP, RECORDS, small, GRID);
        StepDrawing ahead = StepDrawing.start(SecureNoise.create(), DP, RECORDS, large, GRID)) {
      assertThat(inline).isInstanceOf(NoiseInline.class);
      assertThat(ahead).isInstanceOf(NoiseAhead.class);
    }
  }

  @Test
  void noStepBeyondTheRoundIsDrawn() {
    DpConfig twoSteps = new DpConfig(1f, 2f, 0.3, 2);
    try (NoiseInline inline =
        NoiseInline.start(SecureNoise.create(), twoSteps, RECORDS, COORDINATES, GRID)) {
      inline.next();
      inline.next();
      assertThatThrownBy(inline::next)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("all 2 DP steps of this round were drawn");
    }
  }

  @Test
  void closingWipesTheDraws() {
    NoiseInline inline =
        NoiseInline.start(SecureNoise.withFixedKeyForTests(22), DP, RECORDS, COORDINATES, GRID);
    StepDraws draws = inline.next();
    assertThat(draws.size()).isPositive();

    inline.close();

    assertThat(draws.size()).isZero();
    assertThat(draws.granules()).containsOnly(0.0);
    assertThat(draws.records()).containsOnly(0);
  }

  @Test
  void noRecordsOrNoParametersAreRefused() {
    assertThatThrownBy(() -> NoiseInline.start(SecureNoise.create(), DP, 0, COORDINATES, GRID))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 records");
    assertThatThrownBy(() -> StepDrawing.start(SecureNoise.create(), DP, RECORDS, 0, GRID))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 parameters");
  }
}
