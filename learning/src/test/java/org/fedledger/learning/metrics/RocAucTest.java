package org.fedledger.learning.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RocAucTest {
  @Test
  void countsTheFractionOfPositiveNegativePairsRankedRight() {
    // Pairs (positive, negative): (0.35, 0.1) right, (0.35, 0.4) wrong, (0.8, *) right: 3 of 4.
    assertThat(RocAuc.of(new int[] {0, 0, 1, 1}, new double[] {0.1, 0.4, 0.35, 0.8}))
        .hasValue(0.75);
  }

  @Test
  void aTiedPairCountsOneHalf() {
    // (0.5, 0.1) 1, (0.5, 0.5) 1/2, (0.9, 0.1) 1, (0.9, 0.5) 1: 3.5 of 4.
    assertThat(RocAuc.of(new int[] {0, 0, 1, 1}, new double[] {0.1, 0.5, 0.5, 0.9}))
        .hasValue(0.875);
    assertThat(RocAuc.of(new int[] {1, 0, 1, 0}, new double[] {2, 2, 2, 2})).hasValue(0.5);
  }

  @Test
  void perfectAndReversedRankings() {
    assertThat(RocAuc.of(new int[] {0, 1, 0, 1}, new double[] {1, 3, 2, 4})).hasValue(1.0);
    assertThat(RocAuc.of(new int[] {1, 0, 1, 0}, new double[] {1, 3, 2, 4})).hasValue(0.0);
  }

  @Test
  void agreesWithCountingEveryPairOnRandomScoresWithManyTies() {
    SplittableRandom random = new SplittableRandom(7);
    for (int trial = 0; trial < 50; trial++) {
      int n = 2 + random.nextInt(60);
      int[] labels = new int[n];
      double[] scores = new double[n];
      for (int i = 0; i < n; i++) {
        labels[i] = random.nextInt(2);
        scores[i] = random.nextInt(5); // few distinct values: many ties
      }
      labels[0] = 0;
      labels[1] = 1;
      double right = 0;
      long pairs = 0;
      for (int p = 0; p < n; p++) {
        for (int q = 0; q < n; q++) {
          if (labels[p] == 1 && labels[q] == 0) {
            pairs++;
            right += scores[p] > scores[q] ? 1 : scores[p] == scores[q] ? 0.5 : 0;
          }
        }
      }
      assertThat(RocAuc.of(labels, scores).getAsDouble()).isCloseTo(right / pairs, within(1e-12));
    }
  }

  @Test
  void isUndefinedWhenOnlyOneClassIsPresent() {
    assertThat(RocAuc.of(new int[] {1, 1, 1}, new double[] {0.2, 0.4, 0.9})).isEmpty();
    assertThat(RocAuc.of(new int[] {0}, new double[] {0.2})).isEmpty();
  }

  @Test
  void refusesLabelsOtherThanZeroAndOneNaNScoresAndMismatchedLengths() {
    assertThatThrownBy(() -> RocAuc.of(new int[] {0, 2}, new double[] {0.1, 0.2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sample 1 has label 2");
    assertThatThrownBy(() -> RocAuc.of(new int[] {0, 1}, new double[] {0.1, Double.NaN}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sample 1 is NaN");
    assertThatThrownBy(() -> RocAuc.of(new int[] {0, 1}, new double[] {0.1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 labels but 1 scores");
  }
}
