package org.fedledger.learning.simulation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a simulation.
 *
 * @param config what was run
 * @param initialAccuracy test accuracy of the initial model
 * @param rounds one result per round, in order
 * @param finalAccuracy test accuracy after the last round
 * @param finalLoss test loss after the last round
 * @param seconds total wall-clock seconds, including data loading when the runner loaded the data
 * @param maliciousClients indices of the malicious clients
 * @param finalWeightsHash hash of the final global weights (hex), for reproducibility checks
 * @param finalMetrics the task's test metrics after the last round, by name: accuracy, macro_f1
 *     (and auc for two classes), or rmse, mae, r2
 */
public record SimulationSummary(
    SimulationConfig config,
    double initialAccuracy,
    List<RoundResult> rounds,
    double finalAccuracy,
    double finalLoss,
    double seconds,
    List<Integer> maliciousClients,
    String finalWeightsHash,
    Map<String, Double> finalMetrics) {
  public SimulationSummary {
    rounds = List.copyOf(rounds);
    maliciousClients = List.copyOf(maliciousClients);
    finalMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(finalMetrics));
  }
}
