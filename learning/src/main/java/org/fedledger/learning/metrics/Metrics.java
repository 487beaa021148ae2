package org.fedledger.learning.metrics;

import java.util.Map;

/**
 * The metrics of one evaluation, by name: {@code accuracy}, {@code macro_f1} and (two classes only)
 * {@code auc} for classification; {@code rmse}, {@code mae} and {@code r2} for regression.
 */
public interface Metrics {
  /** The metrics in a fixed order, snake_case names as in JSON summaries and CSV columns. */
  Map<String, Double> asMap();

  /** The one number a run is judged by: accuracy for classification, RMSE for regression. */
  double headline();
}
