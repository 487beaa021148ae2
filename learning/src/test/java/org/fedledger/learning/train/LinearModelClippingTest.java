package org.fedledger.learning.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.data.schema.Task;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.Models;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The closed-form clipping of a one-layer model must give what the engine's autograd gives through
 * {@link PerExampleGradients} (itself checked against one example at a time).
 */
class LinearModelClippingTest {
  private static LabeledData images;

  @BeforeAll
  static void load() throws IOException {
    images = Datasets.embeddedFashionMnist().train().range(0, 40);
  }

  @Test
  void aClassifierIsClippedAsTheAutogradPathClipsIt() {
    // Records out of order, and a clip small enough to bind.
    assertMatchesAutograd(
        ModelSpecs.preset("logreg"), images, new int[] {3, 0, 17, 8, 39, 21}, 0.5f);
  }

  @Test
  void aClipLargerThanEveryNormLeavesTheSumOfGradients() {
    assertMatchesAutograd(ModelSpecs.preset("logreg"), images, new int[] {1, 2, 5, 30}, 1e6f);
  }

  @Test
  void linearRegressionIsClippedAsTheAutogradPathClipsIt() {
    ModelSpec spec = ModelSpecs.preset("logreg", new long[] {5}, Task.REGRESSION, 2);
    SplittableRandom random = new SplittableRandom(3);
    int n = 12;
    float[] features = new float[n * 5];
    float[] targets = new float[n * 2];
    for (int i = 0; i < features.length; i++) {
      features[i] = (float) (random.nextDouble() * 4 - 2);
    }
    for (int i = 0; i < targets.length; i++) {
      targets[i] = (float) (random.nextDouble() * 6 - 3);
    }
    LabeledData table = LabeledData.regression(features, new int[] {5}, targets, 2);
    assertMatchesAutograd(spec, table, new int[] {11, 4, 0, 7, 2}, 0.3f);
  }

  @Test
  void aModelOfMoreThanOneDenseLayerIsRefused() {
    ModelSpec mlp = ModelSpecs.preset("mlp");
    assertThat(LinearModelClipping.fits(mlp)).isFalse();
    assertThatThrownBy(() -> LinearModelClipping.of(mlp, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a single dense layer");
  }

  private static void assertMatchesAutograd(
      ModelSpec spec, LabeledData data, int[] records, float clip) {
    Engines.pytorch();
    Loss loss = spec.isRegression() ? Loss.l2Loss("mse", 1) : Loss.softmaxCrossEntropyLoss();
    try (Model model = Model.newInstance("test", Device.cpu(), Engines.PYTORCH)) {
      GradientBlock prepared = GradientBlock.of(model, spec, Models.initialWeights(spec, 7));
      Block block = prepared.block();
      List<NDArray> params = prepared.params();
      try (NDManager batch = model.getNDManager().newSubManager()) {
        int n = records.length;
        LabeledData subset = data.subset(records);
        NDArray x = batch.create(subset.features(), Models.batchShape(spec, n));
        NDArray y =
            spec.isRegression()
                ? batch.create(subset.targets(), new Shape(n, spec.outputs()))
                : batch.create(subset.labels(), new Shape(n)).toType(DataType.INT64, false);
        PerExampleGradients.Result autograd =
            PerExampleGradients.clippedSum(
                block, new ParameterStore(batch, false), x, y, loss, clip, params, batch);

        PerExampleGradients.Result closedForm =
            LinearModelClipping.of(spec, params).clippedSum(data, records, n, clip, batch);

        assertThat(closedForm.meanLoss())
            .isCloseTo(autograd.meanLoss(), org.assertj.core.data.Offset.offset(1e-5f));
        for (int t = 0; t < params.size(); t++) {
          float[] a = closedForm.sums().get(t).toFloatArray();
          float[] b = autograd.sums().get(t).toFloatArray();
          assertThat(a).as("tensor %d", t).hasSameSizeAs(b);
          double diff = 0;
          double norm = 0;
          for (int j = 0; j < a.length; j++) {
            diff += (double) (a[j] - b[j]) * (a[j] - b[j]);
            norm += (double) b[j] * b[j];
          }
          assertThat(norm).as("tensor %d is not all zero", t).isPositive();
          assertThat(Math.sqrt(diff)).as("tensor %d", t).isLessThan(1e-5 * Math.sqrt(norm) + 1e-7);
        }
      }
    }
  }
}
