package org.fedledger.learning.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.fedledger.learning.data.DataSplit;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.Models;
import org.fedledger.learning.tensor.Weights;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalTrainerTest {
  private static LabeledData train;
  private static LabeledData test;

  @BeforeAll
  static void loadEmbeddedData() throws IOException {
    DataSplit split = Datasets.embeddedFashionMnist();
    train = split.train().range(0, 1000);
    test = split.test().range(0, 1000);
  }

  @Test
  void trainingOnAThousandImagesBeatsChanceByFar() {
    ModelSpec spec = ModelSpecs.preset("mlp");
    Weights initial = Models.initialWeights(spec, 1);
    try (LocalTrainer trainer = LocalTrainer.create(spec)) {
      Evaluation before = trainer.evaluate(initial, test);
      // B=10 as in McMahan et al.; two epochs are 200 steps.
      TrainConfig config =
          TrainConfig.defaults().withEpochs(2).withBatchSize(10).withLearningRate(0.1f);
      TrainResult result = trainer.train(initial, train, config, 3);
      Evaluation after = trainer.evaluate(result.weights(), test);
      assertThat(before.accuracy()).isLessThan(0.3);
      assertThat(after.accuracy()).isGreaterThan(0.6);
      assertThat(after.loss()).isLessThan(before.loss());
      assertThat(result.sampleCount()).isEqualTo(1000);
      assertThat(result.steps()).isEqualTo(2 * 100);
      assertThat(result.meanLoss()).isBetween(0.1, 3.0);
    }
  }

  @Test
  void cnnTrainsAStepAndKeepsItsShape() {
    ModelSpec spec = ModelSpecs.preset("cnn");
    Weights initial = Models.initialWeights(spec, 2);
    try (LocalTrainer trainer = LocalTrainer.create(spec)) {
      TrainResult r = trainer.train(initial, train.range(0, 20), TrainConfig.defaults(), 1);
      assertThat(r.steps()).isEqualTo(1);
      assertThat(r.weights().sameShape(initial)).isTrue();
      assertThat(r.weights()).isNotEqualTo(initial);
      assertThat(r.meanLoss()).isBetween(1.5, 3.5);
      assertThat(trainer.evaluate(r.weights(), test.range(0, 50)).sampleCount()).isEqualTo(50);
    }
  }

  @Test
  void adamTrainsToo() {
    ModelSpec spec = ModelSpecs.preset("logreg");
    Weights initial = Models.initialWeights(spec, 1);
    try (LocalTrainer trainer = LocalTrainer.create(spec)) {
      TrainConfig adam =
          TrainConfig.defaults().withOptimizer(OptimizerKind.ADAM).withLearningRate(0.003f);
      Evaluation after = trainer.evaluate(trainer.train(initial, train, adam, 1).weights(), test);
      assertThat(after.accuracy()).isGreaterThan(0.6);
    }
  }

  @Test
  void sameSeedGivesTheSameShufflingAndResult() {
    ModelSpec spec = ModelSpecs.preset("logreg");
    Weights initial = Models.initialWeights(spec, 1);
    LabeledData small = train.range(0, 200);
    try (LocalTrainer trainer = LocalTrainer.create(spec)) {
      TrainConfig c = TrainConfig.defaults();
      TrainResult a = trainer.train(initial, small, c, 5);
      TrainResult b = trainer.train(initial, small, c, 5);
      TrainResult other = trainer.train(initial, small, c, 6);
      assertThat(a.meanLoss()).isEqualTo(b.meanLoss());
      assertThat(other.meanLoss()).isNotEqualTo(a.meanLoss());
    }
  }

  @Test
  void fedProxKeepsLocalWeightsCloserToTheGlobalOnes() {
    ModelSpec spec = ModelSpecs.preset("logreg");
    Weights global = Models.initialWeights(spec, 1);
    LabeledData small = train.range(0, 300);
    try (LocalTrainer trainer = LocalTrainer.create(spec)) {
      TrainConfig plain = TrainConfig.defaults().withEpochs(3).withLearningRate(0.1f);
      Weights free = trainer.train(global, small, plain, 9).weights();
      Weights prox = trainer.train(global, small, plain.withProxMu(1.0f), 9).weights();
      assertThat(distance(prox, global)).isLessThan(0.8 * distance(free, global));
    }
  }

  @Test
  void wrongInputsFailClearly() {
    ModelSpec spec = ModelSpecs.preset("logreg");
    try (LocalTrainer trainer = LocalTrainer.create(spec)) {
      Weights mlp = Models.initialWeights(ModelSpecs.preset("mlp"), 1);
      assertThatThrownBy(() -> trainer.train(mlp, train, TrainConfig.defaults(), 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("different model spec");
      LabeledData tabular = LabeledData.of(new float[8], new int[] {4}, new int[] {0, 1}, 2);
      assertThatThrownBy(
              () ->
                  trainer.train(Models.initialWeights(spec, 1), tabular, TrainConfig.defaults(), 1))
          .hasMessageContaining("expects 784");
      assertThatThrownBy(() -> TrainConfig.defaults().withLearningRate(0))
          .hasMessageContaining("learning rate");
      assertThatThrownBy(() -> TrainConfig.defaults().withProxMu(-1)).hasMessageContaining("mu");
      assertThatThrownBy(() -> OptimizerKind.parse("rmsprop")).hasMessageContaining("sgd or adam");
    }
    LocalTrainer closed = LocalTrainer.create(spec);
    closed.close();
    assertThatThrownBy(() -> closed.evaluate(Models.initialWeights(spec, 1), test))
        .isInstanceOf(IllegalStateException.class);
  }

  static double distance(Weights a, Weights b) {
    float[] x = a.flatten();
    float[] y = b.flatten();
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double d = x[i] - y[i];
      s += d * d;
    }
    return Math.sqrt(s);
  }
}
