package org.fedledger.learning.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.data.schema.Task;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.Models;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one-pass per-example clipping must give what the slow, obvious way gives: a forward and
 * backward pass per example through DJL, each gradient read, clipped and added up.
 */
class PerExampleGradientsTest {
  private static LabeledData images;

  @BeforeAll
  static void load() throws IOException {
    images = Datasets.embeddedFashionMnist().train().range(0, 6);
  }

  @Test
  void denseLayersClipEachExampleAsOneAtATimeWould() {
    assertMatchesOneAtATime(ModelSpecs.preset("mlp"), 0.5f, false);
  }

  @Test
  void convolutionLayersClipEachExampleAsOneAtATimeWould() {
    assertMatchesOneAtATime(ModelSpecs.preset("cnn"), 0.5f, false);
  }

  @Test
  void aClipLargerThanEveryNormLeavesTheSumOfGradients() {
    assertMatchesOneAtATime(ModelSpecs.preset("logreg"), 1e6f, false);
  }

  @Test
  void regressionClipsPerExampleToo() {
    ModelSpec spec = ModelSpecs.preset("mlp", new long[] {5}, Task.REGRESSION, 2);
    assertMatchesOneAtATime(spec, 0.3f, true);
  }

  private static void assertMatchesOneAtATime(ModelSpec spec, float clip, boolean regression) {
    Engines.pytorch();
    Loss loss = regression ? Loss.l2Loss("mse", 1) : Loss.softmaxCrossEntropyLoss();
    try (Model model = Model.newInstance("test", Device.cpu(), Engines.PYTORCH)) {
      GradientBlock prepared = GradientBlock.of(model, spec, Models.initialWeights(spec, 7));
      Block block = prepared.block();
      List<NDArray> params = prepared.params();
      try (NDManager batch = model.getNDManager().newSubManager()) {
        ParameterStore store = new ParameterStore(batch, false);
        int n = 6;
        NDArray x;
        NDArray y;
        if (regression) {
          x = batch.randomNormal(new Shape(n, 5));
          y = batch.randomNormal(new Shape(n, 2));
        } else {
          float[] features = new float[n * images.featureLength()];
          long[] labels = new long[n];
          for (int i = 0; i < n; i++) {
            images.copyFeatures(i, features, i * images.featureLength());
            labels[i] = images.label(i);
          }
          x = batch.create(features, Models.batchShape(spec, n));
          y = batch.create(labels, new Shape(n));
        }

        List<NDArray> fast =
            PerExampleGradients.clippedSum(block, store, x, y, loss, clip, params, batch).sums();

        List<float[]> slow = new ArrayList<>();
        for (NDArray p : params) {
          slow.add(new float[Math.toIntExact(p.size())]);
        }
        int clipped = 0;
        for (int i = 0; i < n; i++) {
          List<float[]> grads = new ArrayList<>();
          try (ThreadGradients collector = ThreadGradients.open()) {
            NDList out = block.forward(store, new NDList(x.get(i + ":" + (i + 1))), true);
            collector.backward(loss.evaluate(new NDList(y.get(i + ":" + (i + 1))), out));
          }
          double squared = 0;
          for (NDArray p : params) {
            NDArray g = LocalOptimizer.in(batch, p.getGradient());
            float[] values = g.toFloatArray();
            grads.add(values);
            for (float v : values) {
              squared += (double) v * v;
            }
            g.subi(g);
          }
          double factor = Math.min(1, clip / Math.sqrt(squared));
          clipped += factor < 1 ? 1 : 0;
          for (int t = 0; t < params.size(); t++) {
            for (int j = 0; j < grads.get(t).length; j++) {
              slow.get(t)[j] += (float) (grads.get(t)[j] * factor);
            }
          }
        }
        if (clip < 1e5f) {
          assertThat(clipped).as("examples clipped").isPositive();
        }
        assertThat(fast).hasSameSizeAs(slow);
        for (int t = 0; t < params.size(); t++) {
          float[] a = fast.get(t).toFloatArray();
          float[] b = slow.get(t);
          assertThat(a).hasSameSizeAs(b);
          double diff = 0;
          double norm = 0;
          for (int j = 0; j < a.length; j++) {
            diff += (double) (a[j] - b[j]) * (a[j] - b[j]);
            norm += (double) b[j] * b[j];
          }
          assertThat(Math.sqrt(diff)).as("tensor %d", t).isLessThan(1e-4 * Math.sqrt(norm) + 1e-6);
        }
      }
    }
  }
}
