package org.fedledger.learning.train;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.Models;
import org.fedledger.learning.privacy.DpConfig;
import org.fedledger.learning.privacy.FixedKeyNoise;
import org.fedledger.learning.privacy.SecureNoise;
import org.fedledger.learning.privacy.StepDrawing;
import org.fedledger.learning.privacy.StepDraws;
import org.fedledger.learning.tensor.Weights;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One DP-SGD step of the trainer, with whatever shortcuts it takes (closed-form clipping, noise
 * drawn inline or ahead, the learning rate folded into the noise pass), must move the weights
 * exactly as the textbook step does from the same draws: w − lr·(Σ clipped + noise)/(q·n), with the
 * clipped sum from the engine's autograd ({@link PerExampleGradients}) and the noise added by
 * {@link SecureNoise#addDrawnNoise}.
 */
class DpSgdStepTest {
  private static final float LEARNING_RATE = 0.7f;
  // C 1, σ 1, q 0.2 of 200 records (an expected batch of 40), one step.
  private static final DpConfig DP = new DpConfig(1f, 1f, 0.2, 1);
  private static LabeledData images;

  @BeforeAll
  static void load() throws IOException {
    images = Datasets.embeddedFashionMnist().train().range(0, 200);
  }

  private static final TrainConfig SGD = TrainConfig.defaults().withLearningRate(LEARNING_RATE);

  @Test
  void aLogisticRegressionStepIsTheTextbookStepFromTheSameDraws() {
    assertTextbookStep(ModelSpecs.preset("logreg"), SGD, 31);
  }

  @Test
  void anMlpStepIsTheTextbookStepFromTheSameDraws() {
    assertTextbookStep(ModelSpecs.preset("mlp"), SGD, 32);
  }

  @Test
  void aFedProxStepTakesTheOptimisersPathToTheSameTextbookStep() {
    // FedProx leaves the fused descent for the optimiser's path; in the first step the weights are
    // the global ones, so the proximal pull μ(w − w_global) is zero and the step is plain SGD's.
    assertTextbookStep(ModelSpecs.preset("logreg"), SGD.withProxMu(0.5f), 33);
  }

  private static void assertTextbookStep(ModelSpec spec, TrainConfig config, long key) {
    Weights initial = Models.initialWeights(spec, 5);
    float[] expected = textbookStep(spec, initial, key);

    float[] actual;
    try (LocalTrainer trainer = LocalTrainer.create(spec)) {
      actual =
          trainer
              .trainPrivately(initial, images, config, DP, FixedKeyNoise.generator(key))
              .weights()
              .flatten();
    }

    float[] start = initial.flatten();
    double moved = 0;
    double maxDifference = 0;
    for (int i = 0; i < expected.length; i++) {
      moved = Math.max(moved, Math.abs(expected[i] - start[i]));
      maxDifference = Math.max(maxDifference, Math.abs(expected[i] - actual[i]));
    }
    // The noise alone moves a coordinate by σ·C·lr/40 ≈ 0.0175 per standard deviation.
    assertThat(moved).as("largest move of a weight").isGreaterThan(0.03);
    assertThat(maxDifference).as("largest difference from the textbook step").isLessThan(1e-5);
  }

  private static float[] textbookStep(ModelSpec spec, Weights initial, long key) {
    long coordinates = initial.parameterCount();
    double granularity = SecureNoise.granularity(DP.clipNorm(), coordinates);
    int[] records;
    double[] granules;
    try (StepDrawing drawing =
        StepDrawing.start(
            FixedKeyNoise.generator(key), DP, images.size(), coordinates, granularity)) {
      StepDraws draws = drawing.next();
      records = Arrays.copyOf(draws.records(), draws.size());
      granules = draws.granules().clone();
    }
    assertThat(records).as("the sampled batch").isNotEmpty();

    Engines.pytorch();
    Loss loss = Loss.softmaxCrossEntropyLoss();
    try (Model model = Model.newInstance("reference", Device.cpu(), Engines.PYTORCH)) {
      GradientBlock prepared = GradientBlock.of(model, spec, initial);
      Block block = prepared.block();
      List<NDArray> params = prepared.params();
      try (NDManager batch = model.getNDManager().newSubManager()) {
        LabeledData sample = images.subset(records);
        NDArray x = batch.create(sample.features(), Models.batchShape(spec, records.length));
        NDArray y =
            batch.create(sample.labels(), new Shape(records.length)).toType(DataType.INT64, false);
        List<NDArray> sums =
            PerExampleGradients.clippedSum(
                    block,
                    new ParameterStore(batch, false),
                    x,
                    y,
                    loss,
                    DP.clipNorm(),
                    params,
                    batch)
                .sums();
        float[] start = initial.flatten();
        float[] stepped = new float[start.length];
        int offset = 0;
        for (NDArray sum : sums) {
          float[] noised = sum.toFloatArray();
          SecureNoise.addDrawnNoise(
              FloatBuffer.wrap(noised),
              granules,
              offset,
              granularity,
              DP.sampleRate() * images.size());
          for (int j = 0; j < noised.length; j++) {
            stepped[offset + j] = start[offset + j] - LEARNING_RATE * noised[j];
          }
          offset += noised.length;
        }
        return stepped;
      }
    }
  }
}
