package org.fedledger.learning.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.data.schema.Task;
import org.fedledger.learning.data.stats.FeatureStatistics;
import org.fedledger.learning.data.stats.Standardization;
import org.fedledger.learning.io.WeightsHash;
import org.fedledger.learning.metrics.RegressionMetrics;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.learning.train.Evaluation;
import org.fedledger.learning.train.LocalTrainer;
import org.junit.jupiter.api.Test;

class StandardizationLayerTest {
  /** Raw features far from standard (means 50 and -3, scales 10 and 0.1), one target. */
  private static LabeledData raw() {
    SplittableRandom random = new SplittableRandom(4);
    int n = 64;
    float[] x = new float[n * 2];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = (float) (50 + 10 * random.nextGaussian());
      x[2 * i + 1] = (float) (-3 + 0.1 * random.nextGaussian());
      y[i] = (float) random.nextGaussian();
    }
    return LabeledData.regression(x, new int[] {2}, y, 1);
  }

  @Test
  void theFoldedModelOnRawFeaturesPredictsWhatTheModelDoesOnStandardizedOnes() {
    LabeledData raw = raw();
    Standardization s = FeatureStatistics.of(raw).standardization();
    for (ModelSpec spec :
        List.of(
            ModelSpecs.preset("linear", new long[] {2}, Task.REGRESSION, 1),
            ModelSpecs.preset("mlp:8", new long[] {2}, Task.REGRESSION, 1))) {
      Weights trained = Models.initialWeights(spec, 7);
      Weights folded = StandardizationLayer.fold(spec, trained, s);
      assertThat(folded.sameShape(trained)).isTrue();
      try (LocalTrainer trainer = LocalTrainer.create(spec)) {
        Evaluation onStandardized = trainer.evaluate(trained, s.apply(raw));
        Evaluation onRaw = trainer.evaluate(folded, raw);
        // Same predictions, so the same error against the same targets.
        assertThat(((RegressionMetrics) onRaw.metrics()).rmse())
            .isCloseTo(((RegressionMetrics) onStandardized.metrics()).rmse(), within(1e-4));
        assertThat(onRaw.loss()).isCloseTo(onStandardized.loss(), within(1e-4));
      }
    }
  }

  @Test
  void anIdentityStandardizationChangesNoWeightAndSoNoHash() {
    ModelSpec spec = ModelSpecs.preset("logreg", new long[] {2}, Task.CLASSIFICATION, 3);
    Weights weights = Models.initialWeights(spec, 1);
    Weights folded =
        StandardizationLayer.fold(
            spec, weights, Standardization.of(new float[] {0, 0}, new float[] {1, 1}));
    assertThat(WeightsHash.of(folded)).isEqualTo(WeightsHash.of(weights));
  }

  @Test
  void refusesImagesAndAStandardizationOfAnotherWidth() {
    ModelSpec table = ModelSpecs.preset("logreg", new long[] {3}, Task.CLASSIFICATION, 2);
    Standardization two = Standardization.of(new float[] {0, 0}, new float[] {1, 1});
    assertThatThrownBy(() -> StandardizationLayer.fold(table, Models.initialWeights(table, 1), two))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("for 2 features")
        .hasMessageContaining("takes 3");
    ModelSpec cnn = ModelSpecs.preset("cnn:4", new long[] {1, 4, 4}, Task.CLASSIFICATION, 2);
    assertThatThrownBy(() -> StandardizationLayer.fold(cnn, Models.initialWeights(cnn, 1), two))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("for tables");
  }
}
