package org.fedledger.learning.simulation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one simulated round produced.
 *
 * @param round 1-based round number
 * @param accuracy test accuracy of the new global model, in [0, 1]; NaN for a regression
 * @param loss test loss of the new global model
 * @param seconds wall-clock seconds the round took (training, aggregation and evaluation)
 * @param selected clients selected this round
 * @param accepted updates that passed validation
 * @param rejected updates refused by validation (NaN, wrong shape, ...)
 * @param excluded valid updates a robust strategy left out
 * @param maliciousSelected selected clients that were malicious
 * @param trainLoss sample-weighted mean of the clients' local training losses
 * @param maliciousScorePpm contribution score (ppm of the round's reward, by {@link
 *     org.fedledger.learning.score.CosineScorer} or, if configured, {@link
 *     org.fedledger.learning.score.LeaveOneOutScorer}) that went to malicious clients
 * @param metrics the task's test metrics of the new global model, by name ({@link
 *     org.fedledger.learning.metrics.Metrics#asMap()}); empty in checkpoints written before metrics
 */
public record RoundResult(
    int round,
    double accuracy,
    double loss,
    double seconds,
    int selected,
    int accepted,
    int rejected,
    int excluded,
    int maliciousSelected,
    double trainLoss,
    long maliciousScorePpm,
    Map<String, Double> metrics) {

  public RoundResult {
    metrics =
        metrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }

  /** A result without task metrics. */
  public RoundResult(
      int round,
      double accuracy,
      double loss,
      double seconds,
      int selected,
      int accepted,
      int rejected,
      int excluded,
      int maliciousSelected,
      double trainLoss,
      long maliciousScorePpm) {
    this(
        round,
        accuracy,
        loss,
        seconds,
        selected,
        accepted,
        rejected,
        excluded,
        maliciousSelected,
        trainLoss,
        maliciousScorePpm,
        Map.of());
  }
}
