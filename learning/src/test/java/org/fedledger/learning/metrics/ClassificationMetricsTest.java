package org.fedledger.learning.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {
  /** Scores that make {@code predicted} the arg-max of each row. */
  private static float[] oneHot(int[] predicted, int classes) {
    float[] scores = new float[predicted.length * classes];
    for (int i = 0; i < predicted.length; i++) {
      scores[i * classes + predicted[i]] = 1;
    }
    return scores;
  }

  @Test
  void accuracyAndMacroF1MatchHandComputedValues() {
    // labels 0 1 2 2, predicted 0 2 2 1.
    // F1: class 0 = 2*1/(1+1) = 1; class 1 = 0 (no true positive); class 2 = 2*1/(2+2) = 0.5.
    ClassificationMetrics m =
        ClassificationMetrics.of(new int[] {0, 1, 2, 2}, oneHot(new int[] {0, 2, 2, 1}, 3), 3);
    assertThat(m.accuracy()).isEqualTo(0.5);
    assertThat(m.macroF1()).isCloseTo(0.5, within(1e-12));
    assertThat(m.auc()).isEmpty();
    assertThat(m.asMap()).containsOnlyKeys("accuracy", "macro_f1");
  }

  @Test
  void aClassThatIsNeitherALabelNorAPredictionDoesNotLowerMacroF1() {
    ClassificationMetrics m =
        ClassificationMetrics.of(new int[] {0, 1, 2, 2}, oneHot(new int[] {0, 2, 2, 1}, 5), 5);
    assertThat(m.macroF1()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void twoClassesAddTheAucOfTheLogitMargin() {
    // Every margin is positive, so class 1 is always predicted: accuracy 1/2;
    // F1 class 0 = 0, class 1 = 2*2/(4+2) = 2/3; macro 1/3. AUC of margins 0.1 0.4 0.35 0.8 = 3/4.
    float[] logits = {0, 0.1f, 0, 0.4f, 0, 0.35f, 0, 0.8f};
    ClassificationMetrics m = ClassificationMetrics.of(new int[] {0, 0, 1, 1}, logits, 2);
    assertThat(m.accuracy()).isEqualTo(0.5);
    assertThat(m.macroF1()).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(m.auc()).hasValue(0.75);
    assertThat(m.asMap()).containsKeys("accuracy", "macro_f1", "auc");
    assertThat(m.headline()).isEqualTo(0.5);
  }

  @Test
  void twoClassesWithOnlyOneClassPresentHaveNoAuc() {
    ClassificationMetrics m =
        ClassificationMetrics.of(new int[] {1, 1}, new float[] {0, 1, 1, 0}, 2);
    assertThat(m.accuracy()).isEqualTo(0.5);
    // class 0: predicted once, never a label: F1 0; class 1: 2*1/(1+2) = 2/3.
    assertThat(m.macroF1()).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(m.auc()).isEmpty();
    assertThat(m.asMap()).doesNotContainKey("auc");
  }

  @Test
  void tiedScoresPredictTheFirstClass() {
    ClassificationMetrics m =
        ClassificationMetrics.of(new int[] {0, 1}, new float[] {3, 3, 3, 3}, 2);
    assertThat(m.accuracy()).isEqualTo(0.5);
  }

  @Test
  void refusesNoSamplesMismatchedScoresAndLabelsOutOfRange() {
    assertThatThrownBy(() -> ClassificationMetrics.of(new int[0], new float[0], 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no samples");
    assertThatThrownBy(() -> ClassificationMetrics.of(new int[] {0, 1}, new float[5], 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("need 6 scores, got 5");
    assertThatThrownBy(() -> ClassificationMetrics.of(new int[] {0, 3}, new float[6], 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label 3 of sample 1 is outside [0, 3)");
    assertThatThrownBy(() -> ClassificationMetrics.of(new int[] {0}, new float[1], 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 2 classes");
  }
}
