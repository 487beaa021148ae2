package org.fedledger.learning.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.fedledger.learning.aggregate.Parallel;
import org.fedledger.learning.aggregate.VectorMath;
import org.fedledger.learning.data.DataSplit;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.Models;
import org.fedledger.learning.privacy.DpConfig;
import org.fedledger.learning.privacy.SecureNoise;
import org.fedledger.learning.tensor.Weights;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PrivateTrainingTest {
  private static LabeledData train;
  private static LabeledData test;

  @BeforeAll
  static void loadEmbeddedData() throws IOException {
    DataSplit split = Datasets.embeddedFashionMnist();
    train = split.train().range(0, 2000);
    test = split.test().range(0, 1000);
  }

  @Test
  void dpSgdWithModerateNoiseStillLearns() {
    ModelSpec spec = ModelSpecs.preset("logreg");
    Weights initial = Models.initialWeights(spec, 1);
    // q = 0.05: expected batch 100; 120 steps are 6 epochs' worth.
    DpConfig dp = new DpConfig(1f, 1f, 0.05, 120);
    try (LocalTrainer trainer = LocalTrainer.create(spec)) {
      TrainConfig sgd = TrainConfig.defaults().withLearningRate(0.5f);
      TrainResult result = trainer.trainPrivately(initial, train, sgd, dp, SecureNoise.create());
      Evaluation after = trainer.evaluate(result.weights(), test);

      assertThat(result.steps()).isEqualTo(120);
      assertThat(result.sampleCount()).isEqualTo(2000);
      assertThat(after.accuracy()).isGreaterThan(0.6);
    }
  }

  @Test
  void oneStepMovesTheWeightsByTheNoiseOfSigmaTimesTheClipNormWithinTheClippedSum() {
    // One SGD step at learning rate 1 moves the weights by (Σ clipped + noise) / (q·n). The clipped
    // sum has norm at most C·(batch size) ≤ C·n whatever batch the sampling draws, so it moves them
    // at most C/q = 0.05. The noise is N(0, (σC)²) in each of d = 7850 coordinates, so its norm
    // over q·n = 100 is σ·C·√d/100 = 0.443, within 4 % (five standard deviations of a chi with
    // 7850 degrees of freedom). Hence 0.443 ± (0.05 + 0.018) on every run. Noise without the C
    // factor would move them by 44; no noise, by at most 0.05; unclipped gradients, by about 2.4.
    ModelSpec spec = ModelSpecs.preset("logreg");
    Weights initial = Models.initialWeights(spec, 1);
    LabeledData small = train.range(0, 500);
    DpConfig dp = new DpConfig(0.01f, 50f, 0.2, 1);
    try (LocalTrainer trainer = LocalTrainer.create(spec)) {
      TrainConfig sgd = TrainConfig.defaults().withLearningRate(1f);
      Weights after =
          trainer.trainPrivately(initial, small, sgd, dp, SecureNoise.create()).weights();
      double moved = VectorMath.norm(VectorMath.subtract(after, initial), Parallel.SERIAL);
      double noise = 50 * 0.01 * Math.sqrt(7850) / 100;
      assertThat(moved).isBetween(noise - 0.05 - 0.018, noise + 0.05 + 0.018);
    }
  }

  @Test
  void everyPresetTrainsPrivatelyAndKeepsItsShape() {
    for (String preset : ModelSpecs.PRESETS) {
      ModelSpec spec = ModelSpecs.preset(preset);
      Weights initial = Models.initialWeights(spec, 2);
      try (LocalTrainer trainer = LocalTrainer.create(spec)) {
        TrainResult r =
            trainer.trainPrivately(
                initial,
                train.range(0, 50),
                TrainConfig.defaults(),
                new DpConfig(1f, 1f, 0.1, 2),
                SecureNoise.create());
        assertThat(r.weights().sameShape(initial)).as(preset).isTrue();
        assertThat(r.weights()).as(preset).isNotEqualTo(initial);
      }
    }
  }
}
