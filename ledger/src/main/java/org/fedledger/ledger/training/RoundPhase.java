package org.fedledger.ledger.training;

import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.RoundStatus;

/**
 * Where a round stands at a block height: the one rule for it, read by the contract (its deadline
 * processing and its handlers) and by the node's agents. Deadlines are inclusive: a round takes
 * updates up to and including its update deadline, and its aggregator or attesters have up to and
 * including the commit deadline; the height after it is overdue.
 *
 * <p>The contract asks with the height of the block it executes; an agent with the last committed
 * height, so it acts on what the next block will see or sooner.
 */
public enum RoundPhase {
  /** Open, update deadline not passed, some selected participants have yet to submit. */
  UPDATES,
  /**
   * Every selected participant submitted before the deadline, but fewer updates than the job's
   * minimum: the round waits for its update deadline, then reopens.
   */
  TOO_FEW_UPDATES,
  /** The update deadline passed with fewer updates than the job's minimum: the round reopens. */
  REOPEN_DUE,
  /** Updates closed with enough of them: the aggregator may commit until the commit deadline. */
  AGGREGATION,
  /** The aggregator let its commit deadline pass: it is slashed and replaced. */
  AGGREGATION_OVERDUE,
  /** A commit awaits attestations until the commit deadline. */
  ATTESTATION,
  /** The commit gathered no quorum by its deadline: it is dropped and a new aggregator drawn. */
  ATTESTATION_OVERDUE,
  /** Paid and closed. */
  FINAL;

  /** The phase of round (of job) at height. */
  public static RoundPhase of(Job job, Round round, long height) {
    if (round.getStatus() == RoundStatus.ROUND_FINAL) {
      return FINAL;
    }
    if (round.getStatus() == RoundStatus.ROUND_COMMITTED) {
      return height > round.getCommitDeadline() ? ATTESTATION_OVERDUE : ATTESTATION;
    }
    // The totals, not the lists: the contract reads stored round records, whose lists are kept
    // under their own keys; a filled-in record (what queries return) has both.
    boolean allIn = round.getSubmissionTotal() == round.getSelectedTotal();
    if (height <= round.getUpdateDeadline() && !allIn) {
      return UPDATES;
    }
    if (round.getSubmissionTotal() < job.getMinUpdates()) {
      return height > round.getUpdateDeadline() ? REOPEN_DUE : TOO_FEW_UPDATES;
    }
    return height > round.getCommitDeadline() ? AGGREGATION_OVERDUE : AGGREGATION;
  }

  /**
   * Whether a selected participant that has not submitted may still submit at height: the round is
   * open and its update deadline has not passed. (Once all selected have submitted nobody is left
   * to, whatever the phase.)
   */
  public static boolean takesUpdates(Round round, long height) {
    return round.getStatus() == RoundStatus.ROUND_OPEN && height <= round.getUpdateDeadline();
  }

  /** True once no more updates are awaited: all are in or the update deadline has passed. */
  public boolean updatesClosed() {
    return this != UPDATES;
  }

  /** True when the aggregator has what it needs to commit (in time or not). */
  public boolean readyToAggregate() {
    return this == AGGREGATION || this == AGGREGATION_OVERDUE;
  }

  /** True when a commit awaits attestations (in time or not). */
  public boolean awaitsAttestations() {
    return this == ATTESTATION || this == ATTESTATION_OVERDUE;
  }
}
