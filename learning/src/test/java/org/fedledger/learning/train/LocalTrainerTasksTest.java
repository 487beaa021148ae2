package org.fedledger.learning.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.data.schema.Task;
import org.fedledger.learning.metrics.ClassificationMetrics;
import org.fedledger.learning.metrics.RegressionMetrics;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.ModelType;
import org.fedledger.learning.model.Models;
import org.fedledger.learning.tensor.Weights;
import org.junit.jupiter.api.Test;

class LocalTrainerTasksTest {
  /** Samples of two features with targets y0 = 2·x0 − x1 + 0.5 and y1 = x0 + x1. */
  private static LabeledData linear(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = new float[n * 2];
    float[] y = new float[n * 2];
    for (int i = 0; i < n; i++) {
      float a = (float) (random.nextDouble() * 2 - 1);
      float b = (float) (random.nextDouble() * 2 - 1);
      x[2 * i] = a;
      x[2 * i + 1] = b;
      y[2 * i] = 2 * a - b + 0.5f;
      y[2 * i + 1] = a + b;
    }
    return LabeledData.regression(x, new int[] {2}, y, 2);
  }

  @Test
  void aLinearModelLearnsAnExactLinearRelationWithTheSquaredError() {
    ModelSpec spec = ModelSpecs.preset("linear", new long[] {2}, Task.REGRESSION, 2);
    Weights initial = Models.initialWeights(spec, 1);
    LabeledData test = linear(200, 2);
    try (LocalTrainer trainer = LocalTrainer.create(spec)) {
      Evaluation before = trainer.evaluate(initial, test);
      TrainConfig config =
          TrainConfig.defaults().withEpochs(20).withBatchSize(10).withLearningRate(0.1f);
      Evaluation after =
          trainer.evaluate(trainer.train(initial, linear(400, 3), config, 4).weights(), test);
      RegressionMetrics metrics = (RegressionMetrics) after.metrics();
      assertThat(metrics.rmse()).isLessThan(0.01);
      assertThat(metrics.r2()).isGreaterThan(0.999);
      assertThat(((RegressionMetrics) before.metrics()).rmse()).isGreaterThan(0.3);
      assertThat(after.accuracy()).isNaN();
    }
  }

  @Test
  void theRegressionLossIsTheMeanSquaredError() {
    ModelSpec spec = new ModelSpec(ModelType.LOGREG, new long[] {2}, Task.REGRESSION, 1, null);
    LabeledData data = linear(50, 5);
    float[] firstTarget = new float[50];
    for (int i = 0; i < 50; i++) {
      firstTarget[i] = data.target(i, 0);
    }
    LabeledData single = LabeledData.regression(data.features(), new int[] {2}, firstTarget, 1);
    try (LocalTrainer trainer = LocalTrainer.create(spec)) {
      Evaluation e = trainer.evaluate(Models.initialWeights(spec, 9), single);
      double rmse = ((RegressionMetrics) e.metrics()).rmse();
      assertThat(e.loss()).isCloseTo(rmse * rmse, within(1e-4));
    }
  }

  @Test
  void aClassifierReportsAccuracyAndMacroF1AndForTwoClassesTheAuc() {
    // Two classes split by the sign of x0: logistic regression separates them.
    SplittableRandom random = new SplittableRandom(11);
    int n = 300;
    float[] x = new float[n * 2];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = (float) (random.nextDouble() * 2 - 1);
      x[2 * i + 1] = (float) (random.nextDouble() * 2 - 1);
      labels[i] = x[2 * i] > 0 ? 1 : 0;
    }
    LabeledData data = LabeledData.of(x, new int[] {2}, labels, 2);
    ModelSpec spec = ModelSpecs.preset("logreg", new long[] {2}, Task.CLASSIFICATION, 2);
    try (LocalTrainer trainer = LocalTrainer.create(spec)) {
      TrainConfig config = TrainConfig.defaults().withEpochs(10).withLearningRate(0.5f);
      Weights trained = trainer.train(Models.initialWeights(spec, 1), data, config, 1).weights();
      Evaluation e = trainer.evaluate(trained, data);
      ClassificationMetrics metrics = (ClassificationMetrics) e.metrics();
      assertThat(e.accuracy()).isEqualTo(metrics.accuracy()).isGreaterThan(0.95);
      assertThat(metrics.macroF1()).isGreaterThan(0.95);
      assertThat(metrics.auc().getAsDouble()).isGreaterThan(0.99);
    }
  }

  @Test
  void theCnnTakesColourImagesOfAnySize() {
    int n = 8;
    float[] pixels = new float[n * 3 * 8 * 12];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (i % 7) / 7f;
    }
    LabeledData images =
        LabeledData.of(pixels, new int[] {3, 8, 12}, new int[] {0, 1, 2, 0, 1, 2, 0, 1}, 3);
    ModelSpec spec = ModelSpecs.preset("cnn:16", new long[] {3, 8, 12}, Task.CLASSIFICATION, 3);
    try (LocalTrainer trainer = LocalTrainer.create(spec)) {
      Weights initial = Models.initialWeights(spec, 3);
      TrainResult r = trainer.train(initial, images, TrainConfig.defaults(), 1);
      assertThat(r.weights().sameShape(initial)).isTrue();
      assertThat(r.weights()).isNotEqualTo(initial);
      assertThat(trainer.evaluate(r.weights(), images).sampleCount()).isEqualTo(n);
    }
  }

  @Test
  void refusesDataOfTheOtherTaskOrOfAnotherOutputWidth() {
    LabeledData regression = linear(10, 1);
    ModelSpec classifier = ModelSpecs.preset("logreg", new long[] {2}, Task.CLASSIFICATION, 2);
    ModelSpec oneOutput = ModelSpecs.preset("linear", new long[] {2}, Task.REGRESSION, 1);
    try (LocalTrainer trainer = LocalTrainer.create(classifier)) {
      assertThatThrownBy(
              () ->
                  trainer.train(
                      Models.initialWeights(classifier, 1), regression, TrainConfig.defaults(), 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the data holds regression targets")
          .hasMessageContaining("classification model");
    }
    try (LocalTrainer trainer = LocalTrainer.create(oneOutput)) {
      assertThatThrownBy(() -> trainer.evaluate(Models.initialWeights(oneOutput, 1), regression))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("2 targets per sample")
          .hasMessageContaining("predicts 1");
      LabeledData classes = LabeledData.of(new float[4], new int[] {2}, new int[] {0, 1}, 2);
      assertThatThrownBy(() -> trainer.evaluate(Models.initialWeights(oneOutput, 1), classes))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the data holds class labels");
    }
  }

  @Test
  void aRegressionSpecHasOutputsNotClasses() {
    ModelSpec spec = new ModelSpec(ModelType.MLP, new long[] {4}, Task.REGRESSION, 3, List.of(8));
    assertThat(spec.outputs()).isEqualTo(3);
    assertThatThrownBy(spec::classes)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("use outputs()");
  }

  @Test
  void predictionsOfChunksJoinedScoreAsTheWhole() {
    ModelSpec spec = ModelSpecs.preset("linear", new long[] {2}, Task.REGRESSION, 2);
    Weights weights = Models.initialWeights(spec, 3);
    LabeledData data = linear(30, 6);
    try (LocalTrainer trainer = LocalTrainer.create(spec)) {
      Evaluation whole = trainer.evaluate(weights, data);
      Predictions joined =
          Predictions.concat(
              List.of(
                  trainer.predict(weights, data.range(0, 11)),
                  trainer.predict(weights, data.range(11, 30))));
      Evaluation chunked = Evaluation.of(data, joined);
      assertThat(chunked.metrics().asMap())
          .containsOnlyKeys("rmse", "mae", "r2")
          .isEqualTo(whole.metrics().asMap());
      assertThat(chunked.loss()).isCloseTo(whole.loss(), within(1e-6));
      assertThatThrownBy(() -> Evaluation.of(data.range(0, 29), joined))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("30 predictions for 29 samples");
    }
  }
}
