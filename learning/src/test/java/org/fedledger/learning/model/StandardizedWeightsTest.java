package org.fedledger.learning.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.data.schema.Task;
import org.fedledger.learning.data.stats.FeatureStatistics;
import org.fedledger.learning.data.stats.Standardization;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.learning.train.LocalTrainer;
import org.junit.jupiter.api.Test;

class StandardizedWeightsTest {
  private static final int FEATURES = 5;

  /** Features far from mean 0 and deviation 1, so that a missing standardization shows. */
  private static LabeledData raw(int n) {
    SplittableRandom random = new SplittableRandom(7);
    float[] x = new float[n * FEATURES];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < FEATURES; j++) {
        x[i * FEATURES + j] = (float) (100 * j + (j + 1) * 10 * random.nextGaussian());
      }
      labels[i] = i % 2;
    }
    return LabeledData.of(x, new int[] {FEATURES}, labels, 2);
  }

  private static void assertFoldedTakesRawFeatures(ModelSpec spec) {
    LabeledData raw = raw(50);
    Standardization s = FeatureStatistics.of(raw).standardization();
    Weights trained = Models.initialWeights(spec, 3);
    Weights folded = StandardizedWeights.fold(spec, trained, s);
    try (LocalTrainer model = LocalTrainer.create(spec)) {
      float[] expected = model.predict(trained, s.apply(raw)).outputs();
      float[] got = model.predict(folded, raw).outputs();
      float[] unfolded = model.predict(trained, raw).outputs();
      for (int i = 0; i < expected.length; i++) {
        assertThat(got[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-3f));
      }
      assertThat(unfolded).isNotEqualTo(expected);
    }
  }

  @Test
  void aFoldedLogisticRegressionOnRawFeaturesPredictsAsTheTrainedOneOnStandardizedFeatures() {
    assertFoldedTakesRawFeatures(
        ModelSpecs.preset("logreg", new long[] {FEATURES}, Task.CLASSIFICATION, 2));
  }

  @Test
  void aFoldedMlpOnRawFeaturesPredictsAsTheTrainedOneOnStandardizedFeatures() {
    assertFoldedTakesRawFeatures(
        ModelSpecs.preset("mlp", new long[] {FEATURES}, Task.CLASSIFICATION, 2));
  }

  @Test
  void aCnnOrAStandardizationOfAnotherWidthIsRefused() {
    ModelSpec cnn = ModelSpecs.preset("cnn");
    Standardization s = Standardization.of(new float[] {0}, new float[] {1});
    assertThatThrownBy(() -> StandardizedWeights.fold(cnn, Models.initialWeights(cnn, 1), s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a CNN");
    ModelSpec logreg = ModelSpecs.preset("logreg", new long[] {FEATURES}, Task.CLASSIFICATION, 2);
    assertThatThrownBy(() -> StandardizedWeights.fold(logreg, Models.initialWeights(logreg, 1), s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("takes 5 features but the standardization is for 1");
  }
}
