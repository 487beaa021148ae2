package org.fedledger.learning.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NoiseAheadTest {
  // q 0.3 over 40 records, noise σ·C = 2·1 on 1,000 coordinates, 6 steps.
  private static final DpConfig DP = new DpConfig(1f, 2f, 0.3, 6);
  private static final int RECORDS = 40;
  private static final int COORDINATES = 1_000;
  private static final double GRID = SecureNoise.granularity(1.0, COORDINATES);

  @Test
  void drawingAheadGivesTheRecordsAndNoiseThatDrawingInTurnGivesForTheSameKey() {
    SecureNoise inTurn = SecureNoise.withFixedKeyForTests(11);
    try (NoiseAhead ahead =
        NoiseAhead.start(SecureNoise.withFixedKeyForTests(11), DP, RECORDS, COORDINATES, GRID)) {
      for (int step = 0; step < DP.steps(); step++) {
        // What the trainer drew on its own thread before: each record's sampling decision, then
        // round(N(0, (σC')²)/γ) per coordinate, from one stream.
        int[] expectedRecords = new int[RECORDS];
        int expectedSize = 0;
        for (int i = 0; i < RECORDS; i++) {
          if (inTurn.sample(DP.sampleRate())) {
            expectedRecords[expectedSize++] = i;
          }
        }
        double[] expectedNoise = new double[COORDINATES];
        for (int i = 0; i < COORDINATES; i++) {
          expectedNoise[i] = Math.rint(inTurn.gaussian() * DP.noiseStddev() / GRID);
        }

        StepDraws draws = ahead.next();

        assertThat(draws.size()).as("step %d sample size", step).isEqualTo(expectedSize);
        assertThat(Arrays.copyOf(draws.records(), draws.size()))
            .as("step %d records", step)
            .containsExactly(Arrays.copyOf(expectedRecords, expectedSize));
        assertThat(draws.granules()).as("step %d noise", step).containsExactly(expectedNoise);
      }
    }
  }

  @Test
  void noiseDrawnAheadAndAddedLaterEqualsNoiseAddedAtOnce() {
    float[] atOnce = {0.3f, -1.7f, 1e-3f, 42f, 0f};
    float[] later = atOnce.clone();
    SecureNoise.withFixedKeyForTests(12).addNoise(atOnce, 0.5, GRID);

    double[] granules = new double[later.length];
    SecureNoise.withFixedKeyForTests(12).drawGranules(granules, granules.length, 0.5, GRID);
    SecureNoise.addDrawnNoise(FloatBuffer.wrap(later), granules, 0, GRID, 1);

    assertThat(later).containsExactly(atOnce);
    assertThat(later).isNotEqualTo(new float[] {0.3f, -1.7f, 1e-3f, 42f, 0f});
  }

  @Test
  void theDrawnNoiseIsAddedOnTheGridAndThenDivided() {
    // 0.3 snaps to 0.25 on a grid of 1/4; plus 3 granules is 1.0; over an expected batch of 8.
    float[] values = {0.3f, 0.3f};
    SecureNoise.addDrawnNoise(FloatBuffer.wrap(values), new double[] {9, 3, -2}, 1, 0.25, 8);
    assertThat(values).containsExactly(0.125f, -0.03125f);
  }

  @Test
  void aDescentStepsAlongTheNoisedSumOnTheGridAtTheStepSize() {
    // 0.3 snaps to 0.25 on a grid of 1/4; plus 3 granules is 1.0; times a step of 0.5 is 0.5.
    float[] weights = {2f, 1f};
    float[] sums = {0.3f, 0.3f};
    SecureNoise.descendAlongNoisedSum(
        FloatBuffer.wrap(weights), FloatBuffer.wrap(sums), new double[] {9, 3, -2}, 1, 0.25, 0.5);
    assertThat(weights).containsExactly(1.5f, 1.125f);
    assertThat(sums).containsExactly(0.3f, 0.3f);
  }

  @Test
  void aDescentWithTooLittleNoiseOrMismatchedWeightsIsRefused() {
    FloatBuffer sums = FloatBuffer.wrap(new float[4]);
    assertThatThrownBy(
            () ->
                SecureNoise.descendAlongNoisedSum(
                    FloatBuffer.wrap(new float[4]), sums, new double[5], 2, 0.25, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("noise for 3 values drawn, 4 to hide");
    assertThatThrownBy(
            () ->
                SecureNoise.descendAlongNoisedSum(
                    FloatBuffer.wrap(new float[3]), sums, new double[4], 0, 0.25, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a sum of 4 values for 3 weights");
  }

  @Test
  void moreValuesThanDrawnNoiseIsRefused() {
    FloatBuffer values = FloatBuffer.wrap(new float[4]);
    assertThatThrownBy(() -> SecureNoise.addDrawnNoise(values, new double[5], 2, 0.25, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("noise for 3 values drawn, 4 to hide");
  }

  @Test
  void closingStopsTheDrawingThreadAndWipesEveryDraw() {
    NoiseAhead ahead =
        NoiseAhead.start(SecureNoise.withFixedKeyForTests(13), DP, RECORDS, COORDINATES, GRID);
    StepDraws first = ahead.next();
    assertThat(first.granules()).isNotEqualTo(new double[COORDINATES]);

    ahead.close();

    assertThat(ahead.drawing()).isFalse();
    assertThat(first.size()).isZero();
    assertThat(first.granules()).containsOnly(0.0);
    assertThat(first.records()).containsOnly(0);
  }

  @Test
  void theThreadEndsAfterTheRoundsLastStepAndNoFurtherStepIsGiven() throws InterruptedException {
    DpConfig twoSteps = new DpConfig(1f, 2f, 0.3, 2);
    try (NoiseAhead ahead =
        NoiseAhead.start(SecureNoise.create(), twoSteps, RECORDS, COORDINATES, GRID)) {
      ahead.next();
      ahead.next();
      for (int i = 0; i < 500 && ahead.drawing(); i++) {
        Thread.sleep(10);
      }
      assertThat(ahead.drawing()).isFalse();
      assertThatThrownBy(ahead::next)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("all 2 DP steps of this round were drawn");
    }
  }

  @Test
  void noRecordsOrNoParametersAreRefused() {
    assertThatThrownBy(() -> NoiseAhead.start(SecureNoise.create(), DP, 0, COORDINATES, GRID))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 records");
    assertThatThrownBy(() -> NoiseAhead.start(SecureNoise.create(), DP, RECORDS, 0, GRID))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 parameters");
  }
}
