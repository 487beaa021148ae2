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
  void eachStepMovesTheWeightsByAtMostTheClipPlusTheNoise() {
    // One step at learning rate 1 moves the weights by (Σ clipped + noise) / (q·n): without the
    // noise at most C·(batch size)/(q·n). With σ = 0.1 the noise adds about 0.1·C·√d/(q·n).
    ModelSpec spec = ModelSpecs.preset("logreg");
    Weights initial = Models.initialWeights(spec, 1);
    LabeledData small = train.range(0, 500);
    DpConfig dp = new DpConfig(0.01f, 0.1f, 0.2, 1);
    try (LocalTrainer trainer = LocalTrainer.create(spec)) {
      TrainConfig sgd = TrainConfig.defaults().withLearningRate(1f);
      Weights after =
          trainer.trainPrivately(initial, small, sgd, dp, SecureNoise.create()).weights();
      double moved = VectorMath.norm(VectorMath.subtract(after, initial), Parallel.SERIAL);
      // The batch is Binomial(500, 0.2) = 100 ± 9: with at most 130 examples the clipped sum moves
      // at most 0.01·130/100 = 0.0013; the noise's norm is 0.1·0.01·√7850/100 = 0.00089 (± 1%).
      assertThat(moved).isLessThan(0.0013 + 0.0009).isGreaterThan(0.0008);
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
