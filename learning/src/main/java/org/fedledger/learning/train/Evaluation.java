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
   * Scores predictions against the data's labels or targets.
   *
   * @throws IllegalArgumentException if there is not one prediction per sample
   */
  public static Evaluation of(LabeledData data, Predictions predictions) {
    int n = data.size();
    if (predictions.sampleCount() != n) {
      throw new IllegalArgumentException(
          predictions.sampleCount() + " predictions for " + n + " samples");
    }
    Metrics metrics =
        data.isRegression()
            ? RegressionMetrics.of(data.targets(), predictions.outputs(), predictions.width())
            : ClassificationMetrics.of(data.labels(), predictions.outputs(), predictions.width());
    double accuracy = metrics instanceof ClassificationMetrics c ? c.accuracy() : Double.NaN;
    return new Evaluation(accuracy, predictions.lossSum() / n, n, metrics);
  }
}
