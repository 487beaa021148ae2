package org.fedledger.learning.train;

import org.fedledger.learning.metrics.Metrics;

/**
 * Quality of weights on a data set.
 *
 * @param accuracy fraction of samples whose arg-max prediction equals the label; NaN for a
 *     regression, which has no classes
 * @param loss mean cross-entropy, or mean squared error for a regression
 * @param sampleCount number of samples evaluated
 * @param metrics the task's metrics: accuracy, macro-F1 (and AUC for two classes), or RMSE, MAE, R²
 */
public record Evaluation(double accuracy, double loss, int sampleCount, Metrics metrics) {}
