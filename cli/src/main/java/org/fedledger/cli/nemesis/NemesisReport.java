package org.fedledger.cli.nemesis;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The result of a nemesis run, as {@code bench nemesis --json} writes it.
 *
 * @param faults injected faults by kind ({@link FaultKind#label})
 * @param recoverySecondsP99 the 99th percentile of the recovery times: from a heal until every node
 *     has committed a block past the height the cluster had reached at the heal
 * @param training the training job's outcome: its id and model, or "off"
 * @param recoveries each fault with its recovery time
 * @param violations what the checker (and the recovery watch) found; empty for a clean run
 */
@JsonPropertyOrder({
  "acknowledged",
  "unacknowledged",
  "lost",
  "duplicated",
  "diverged",
  "faults",
  "recovery_seconds_p99",
  "nodes",
  "seed",
  "duration_seconds",
  "height",
  "training",
  "recoveries",
  "violations"
})
public record NemesisReport(
    int acknowledged,
    int unacknowledged,
    int lost,
    int duplicated,
    int diverged,
    Map<String, Integer> faults,
    @JsonProperty("recovery_seconds_p99") double recoverySecondsP99,
    int nodes,
    long seed,
    @JsonProperty("duration_seconds") long durationSeconds,
    long height,
    String training,
    List<Recovery> recoveries,
    List<String> violations) {

  /** One fault and how long the cluster took to commit again after it was healed. */
  public record Recovery(String kind, String fault, double seconds) {}

  public boolean ok() {
    return violations.isEmpty();
  }
}
