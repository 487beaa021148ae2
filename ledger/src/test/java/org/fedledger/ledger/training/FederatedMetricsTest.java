package org.fedledger.ledger.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.core.proto.training.OwnerEvaluation;
import org.junit.jupiter.api.Test;

class FederatedMetricsTest {
  private static OwnerEvaluation evaluation(long samples, String name, long value) {
    return OwnerEvaluation.newBuilder()
        .setSampleCount(samples)
        .addMetrics(Metric.newBuilder().setName(name).setValue(value))
        .build();
  }

  private static Metric metric(String name, long value) {
    return Metric.newBuilder().setName(name).setValue(value).build();
  }

  @Test
  void halvesRoundUpForPositiveAndNegativeMeans() {
    assertThat(FederatedMetrics.of(List.of(evaluation(1, "r2_ppm", 1), evaluation(1, "r2_ppm", 2))))
        .containsExactly(metric("r2_ppm", 2));
    assertThat(
            FederatedMetrics.of(List.of(evaluation(1, "r2_ppm", -1), evaluation(1, "r2_ppm", -2))))
        .containsExactly(metric("r2_ppm", -1));
    assertThat(
            FederatedMetrics.of(List.of(evaluation(2, "r2_ppm", -1), evaluation(1, "r2_ppm", -2))))
        .containsExactly(metric("r2_ppm", -1));
  }

  @Test
  void extremeValuesAndCountsDoNotOverflow() {
    assertThat(
            FederatedMetrics.of(
                List.of(
                    evaluation(Long.MAX_VALUE, "rmse_micro", Long.MAX_VALUE),
                    evaluation(Long.MAX_VALUE, "rmse_micro", Long.MAX_VALUE))))
        .containsExactly(metric("rmse_micro", Long.MAX_VALUE));
  }

  @Test
  void namesComeOutSortedWhateverTheReportOrder() {
    assertThat(
            FederatedMetrics.of(
                List.of(evaluation(3, "mae_micro", 30), evaluation(1, "accuracy_ppm", 10))))
        .containsExactly(metric("accuracy_ppm", 10), metric("mae_micro", 30));
  }
}
