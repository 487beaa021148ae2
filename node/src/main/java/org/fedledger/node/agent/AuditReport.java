package org.fedledger.node.agent;

import java.util.List;

/**
 * The verdict of a {@link ModelAuditor} replay.
 *
 * @param roundsChecked finalized rounds re-run
 * @param problems what did not hold; empty when valid
 */
public record AuditReport(String jobId, String modelId, int roundsChecked, List<String> problems) {
  public AuditReport {
    problems = List.copyOf(problems);
  }

  public boolean valid() {
    return problems.isEmpty() && roundsChecked > 0;
  }

  public String verdict() {
    return valid() ? "valid" : "invalid";
  }
}
