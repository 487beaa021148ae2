package org.fedledger.node.api.verify;

import java.util.List;
import org.fedledger.node.agent.AuditReport;

/**
 * A node's verdict on one model, as {@code GET /v1/models/{id}/verification} serves it.
 *
 * @param status {@link #PENDING} (queued or running), {@code valid}, {@code invalid} or {@code
 *     unavailable} (this node cannot replay it now: no blob store, or a blob could not be had)
 * @param checkedAtHeight the chain height whose records were replayed; null while pending or when
 *     nothing was replayed
 * @param rounds per lineage round: its status and what failed or was missing
 * @param problems why the model is not valid, first failing check first; empty when valid
 */
public record Verification(
    String modelId,
    String status,
    Long checkedAtHeight,
    List<AuditReport.RoundCheck> rounds,
    List<String> problems) {
  public static final String PENDING = "pending";

  public Verification {
    rounds = List.copyOf(rounds);
    problems = List.copyOf(problems);
  }

  static Verification pending(String modelId) {
    return new Verification(modelId, PENDING, null, List.of(), List.of());
  }

  static Verification unavailable(String modelId, String reason) {
    return new Verification(modelId, AuditReport.UNAVAILABLE, null, List.of(), List.of(reason));
  }

  static Verification of(AuditReport report, long height) {
    return new Verification(
        report.modelId(), report.verdict(), height, report.rounds(), report.reasons());
  }

  /** A verdict that holds for good: a registered model's lineage never changes. */
  boolean settled() {
    return status.equals(AuditReport.VALID) || status.equals(AuditReport.INVALID);
  }
}
