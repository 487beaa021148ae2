package org.fedledger.learning.train;

import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.metrics.ClassificationMetrics;
import org.fedledger.learning.metrics.Metrics;
import org.fedledger.learning.metrics.RegressionMetrics;

/**
 * Quality of weights on a data set.
 *
 * @param accuracy fraction of samples whose arg-max prediction equals the label; NaN for a
 *     regression, which has no classes
 * @param loss mean cross-entropy, or mean squared error for a regression
 * @param sampleCount number of samples evaluated
 * @param metrics the task's metrics: accuracy, macro-F1 (and AUC for two classes), or RMSE, MAE, R²
 */
public record Evaluation(double accuracy, double loss, int sampleCount, Metrics metrics) {

  /**
   * The evaluation of a model's outputs on test (row-major, outputsPerSample each) whose loss,
   * summed over the samples, is lossSum.
   */
  public static Evaluation of(
      LabeledData test, float[] outputs, double lossSum, int outputsPerSample) {
    int n = test.size();
    Metrics metrics =
        test.isRegression()
            ? RegressionMetrics.of(test.targets(), outputs, outputsPerSample)
            : ClassificationMetrics.of(test.labels(), outputs, outputsPerSample);
    double accuracy = metrics instanceof ClassificationMetrics c ? c.accuracy() : Double.NaN;
    return new Evaluation(accuracy, lossSum / n, n, metrics);
  }
}
