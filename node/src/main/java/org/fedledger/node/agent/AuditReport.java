package org.fedledger.node.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * The verdict of a {@link ModelAuditor} replay.
 *
 * @param rounds one entry per round of the model's lineage, in order
 * @param problems the checks that failed, in the order they were made (the first is the first
 *     failing check); each is evidence against the lineage
 * @param missing blobs that could not be had, so the rounds needing them were not re-run: no
 *     evidence either way
 */
public record AuditReport(
    String jobId,
    String modelId,
    List<RoundCheck> rounds,
    List<String> problems,
    List<String> missing) {
  public static final String VALID = "valid";
  public static final String INVALID = "invalid";
  public static final String UNAVAILABLE = "unavailable";

  public AuditReport {
    rounds = List.copyOf(rounds);
    problems = List.copyOf(problems);
    missing = List.copyOf(missing);
  }

  /**
   * One round of the lineage.
   *
   * @param status {@link #VALID} (re-run, everything matched), {@link #INVALID} or {@link
   *     #UNAVAILABLE} (a blob it needs could not be had)
   * @param problems what failed or was missing in this round
   */
  public record RoundCheck(long round, String aggregateHash, String status, List<String> problems) {
    public RoundCheck {
      problems = List.copyOf(problems);
    }
  }

  /** Rounds that were re-run (valid or not). */
  public int roundsChecked() {
    return (int) rounds.stream().filter(r -> !r.status().equals(UNAVAILABLE)).count();
  }

  public boolean valid() {
    return verdict().equals(VALID);
  }

  /**
   * {@link #INVALID} when any check failed, else {@link #UNAVAILABLE} when a blob could not be had,
   * else {@link #VALID} (a lineage of at least one round re-run end to end).
   */
  public String verdict() {
    if (!problems.isEmpty() || rounds.isEmpty()) {
      return INVALID;
    }
    return missing.isEmpty() ? VALID : UNAVAILABLE;
  }

  /** Everything that kept the lineage from being valid: the problems, then the missing blobs. */
  public List<String> reasons() {
    List<String> all = new ArrayList<>(problems);
    all.addAll(missing);
    return List.copyOf(all);
  }
}
