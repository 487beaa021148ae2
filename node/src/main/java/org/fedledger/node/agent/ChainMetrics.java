package org.fedledger.node.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.learning.train.Evaluation;

/**
 * An evaluation as the chain records metrics: integers (contracts use no floats), named with their
 * unit, sorted by name. Rates and scores in [0, 1] (and R², which may be negative) in parts per
 * million ({@code accuracy_ppm}, {@code macro_f1_ppm}, {@code auc_ppm}, {@code r2_ppm}); errors and
 * losses in millionths of their unit ({@code rmse_micro}, {@code mae_micro}, {@code loss_micro}). A
 * value that is not finite is left out.
 */
public final class ChainMetrics {
  public static final String ACCURACY = "accuracy_ppm";
  public static final String MACRO_F1 = "macro_f1_ppm";
  public static final String AUC = "auc_ppm";
  public static final String RMSE = "rmse_micro";
  public static final String MAE = "mae_micro";
  public static final String R2 = "r2_ppm";
  public static final String LOSS = "loss_micro";

  // learning's metric names (Metrics.asMap) and the chain's.
  private static final Map<String, String> NAMES =
      Map.of(
          "accuracy", ACCURACY,
          "macro_f1", MACRO_F1,
          "auc", AUC,
          "rmse", RMSE,
          "mae", MAE,
          "r2", R2);

  private ChainMetrics() {}

  /** The evaluation's task metrics and mean loss, sorted by name. */
  public static List<Metric> of(Evaluation e) {
    TreeMap<String, Long> sorted = new TreeMap<>();
    e.metrics()
        .asMap()
        .forEach(
            (name, value) -> {
              String chainName = NAMES.get(name);
              if (chainName != null && Double.isFinite(value)) {
                sorted.put(chainName, Math.round(value * 1e6));
              }
            });
    if (Double.isFinite(e.loss())) {
      sorted.put(LOSS, Math.round(e.loss() * 1e6));
    }
    List<Metric> out = new ArrayList<>(sorted.size());
    sorted.forEach(
        (name, value) -> out.add(Metric.newBuilder().setName(name).setValue(value).build()));
    return out;
  }
}
