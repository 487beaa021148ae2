package org.fedledger.cli.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fedledger.learning.model.ModelSpec;

/** Which task metrics a simulation's outputs carry, and how a person reads them. */
final class MetricColumns {
  private MetricColumns() {}

  /**
   * The metric columns rounds.csv adds after its fixed ones: macro_f1 (and auc for two classes) for
   * a classifier, whose accuracy already has a column; rmse, mae and r2 for a regression.
   */
  static List<String> of(ModelSpec spec) {
    if (spec.isRegression()) {
      return List.of("rmse", "mae", "r2");
    }
    List<String> columns = new ArrayList<>(List.of("macro_f1"));
    if (spec.outputs() == 2) {
      columns.add("auc");
    }
    return columns;
  }

  /** "accuracy 0.8123, macro_f1 0.8010" and so on, in the metrics' order. */
  static String describe(Map<String, Double> metrics) {
    List<String> parts = new ArrayList<>();
    metrics.forEach((name, value) -> parts.add(String.format(Locale.ROOT, "%s %.4f", name, value)));
    return String.join(", ", parts);
  }
}
