package org.fedledger.learning.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Regression quality. With several outputs each metric is computed per output and the results
 * averaged with equal weight (scikit-learn's {@code uniform_average}).
 *
 * @param rmse root mean squared error
 * @param mae mean absolute error
 * @param r2 coefficient of determination, 1 − SS_res/SS_tot; for a constant target (SS_tot = 0) it
 *     is 1 when every prediction is exact and 0 otherwise, as scikit-learn reports it, rather than
 *     an undefined quotient
 */
public record RegressionMetrics(double rmse, double mae, double r2) implements Metrics {

  /**
   * Metrics of predictions against targets.
   *
   * @param targets the true values, row-major, {@code outputs} per sample
   * @param predictions the predicted values, in the same layout
   * @param outputs values per sample, at least 1
   * @throws IllegalArgumentException if the sizes disagree, there are no samples or a value is not
   *     finite
   */
  public static RegressionMetrics of(float[] targets, float[] predictions, int outputs) {
    if (outputs < 1) {
      throw new IllegalArgumentException("regression needs at least 1 output, got " + outputs);
    }
    if (targets.length != predictions.length) {
      throw new IllegalArgumentException(
          targets.length + " targets but " + predictions.length + " predictions");
    }
    if (targets.length == 0) {
      throw new IllegalArgumentException("no samples to compute metrics on");
    }
    if (targets.length % outputs != 0) {
      throw new IllegalArgumentException(
          targets.length + " values are not a whole number of samples of " + outputs + " outputs");
    }
    int n = targets.length / outputs;
    double rmse = 0;
    double mae = 0;
    double r2 = 0;
    for (int o = 0; o < outputs; o++) {
      double mean = 0;
      for (int i = 0; i < n; i++) {
        double t = finite(targets, i * outputs + o, "target");
        finite(predictions, i * outputs + o, "prediction");
        mean += t;
      }
      mean /= n;
      double squared = 0;
      double absolute = 0;
      double total = 0;
      for (int i = 0; i < n; i++) {
        double t = targets[i * outputs + o];
        double e = t - predictions[i * outputs + o];
        squared += e * e;
        absolute += Math.abs(e);
        total += (t - mean) * (t - mean);
      }
      rmse += Math.sqrt(squared / n);
      mae += absolute / n;
      if (total == 0) {
        r2 += squared == 0 ? 1 : 0;
      } else {
        r2 += 1 - squared / total;
      }
    }
    return new RegressionMetrics(rmse / outputs, mae / outputs, r2 / outputs);
  }

  private static double finite(float[] values, int index, String what) {
    float v = values[index];
    if (!Float.isFinite(v)) {
      throw new IllegalArgumentException(
          what + " " + index + " is " + v + "; metrics need finite values");
    }
    return v;
  }

  @Override
  public Map<String, Double> asMap() {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("rmse", rmse);
    out.put("mae", mae);
    out.put("r2", r2);
    return out;
  }

  @Override
  public double headline() {
    return rmse;
  }
}
