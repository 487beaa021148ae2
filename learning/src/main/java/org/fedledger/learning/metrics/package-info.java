/**
 * Quality metrics of a model's predictions, computed in plain Java from labels and outputs:
 * accuracy, macro-F1 and (for two classes) ROC AUC for classification; RMSE, MAE and R² for
 * regression. {@link org.fedledger.learning.metrics.Metrics} is what a simulation, a participant or
 * a benchmark reports, as named values ({@code accuracy}, {@code macro_f1}, {@code auc} / {@code
 * rmse}, {@code mae}, {@code r2}). Not consensus code: the chain records the reported values, it
 * never recomputes them.
 */
package org.fedledger.learning.metrics;
