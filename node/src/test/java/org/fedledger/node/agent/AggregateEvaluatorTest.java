package org.fedledger.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.Models;
import org.fedledger.learning.tensor.Weights;
import org.junit.jupiter.api.Test;

class AggregateEvaluatorTest {
  /** 20 flat 784-pixel samples whose labels are 0-9 twice over. */
  private static LabeledData data() {
    float[] features = new float[20 * 784];
    int[] labels = new int[20];
    for (int i = 0; i < 20; i++) {
      labels[i] = i % 10;
      features[i * 784 + i] = 1f;
    }
    return LabeledData.of(features, new int[] {1, 28, 28}, labels, 10);
  }

  private static String json(String preset) {
    return ModelSpecs.toJson(ModelSpecs.preset(preset));
  }

  private static Weights initial(String preset) {
    ModelSpec spec = ModelSpecs.preset(preset);
    return Models.initialWeights(spec, 1);
  }

  @Test
  void metricsAreSortedAccuracyAndLossOfTheGivenModel() {
    try (AggregateEvaluator e = new AggregateEvaluator(data())) {
      List<Metric> metrics = e.metrics(json("logreg"), initial("logreg"));
      assertThat(metrics)
          .extracting(Metric::getName)
          .containsExactly(
              AggregateEvaluator.ACCURACY, AggregateEvaluator.LOSS, ChainMetrics.MACRO_F1);
      // 20 samples: accuracy is a multiple of 5 % and the loss of untrained weights is positive.
      assertThat(metrics.get(0).getValue()).isBetween(0L, 1_000_000L);
      assertThat(metrics.get(0).getValue() % 50_000).isZero();
      assertThat(metrics.get(1).getValue()).isPositive();
      // The same weights give the same metrics.
      assertThat(e.metrics(json("logreg"), initial("logreg"))).isEqualTo(metrics);
    }
  }

  @Test
  void aJobOfAnotherModelGetsAnEvaluationModelOfItsOwn() {
    try (AggregateEvaluator e = new AggregateEvaluator(data())) {
      e.metrics(json("logreg"), initial("logreg"));
      assertThat(e.metrics(json("mlp"), initial("mlp"))).hasSize(3);
      assertThat(e.metrics(json("logreg"), initial("logreg"))).hasSize(3);
    }
  }

  @Test
  void weightsThatDoNotFitTheSpecAreAnError() {
    try (AggregateEvaluator e = new AggregateEvaluator(data())) {
      assertThatThrownBy(() -> e.metrics(json("logreg"), initial("mlp")))
          .isInstanceOf(RuntimeException.class);
      // The evaluator stays usable.
      assertThat(e.metrics(json("logreg"), initial("logreg"))).hasSize(3);
    }
  }
}
