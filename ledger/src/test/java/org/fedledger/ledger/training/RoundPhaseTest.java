package org.fedledger.ledger.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.RoundStatus;
import org.junit.jupiter.api.Test;

/** The round's phase at the heights around its deadlines (update 10, commit 15). */
class RoundPhaseTest {
  private static final long UPDATE_DEADLINE = 10;
  private static final long COMMIT_DEADLINE = 15;
  private static final Job JOB = Job.newBuilder().setMinUpdates(2).build();

  /** A round as the contract stores it: the totals, its lists under their own keys. */
  private static Round open(int selected, int submitted) {
    return Round.newBuilder()
        .setRound(1)
        .setStatus(RoundStatus.ROUND_OPEN)
        .setUpdateDeadline(UPDATE_DEADLINE)
        .setCommitDeadline(COMMIT_DEADLINE)
        .setSelectedTotal(selected)
        .setSubmissionTotal(submitted)
        .build();
  }

  @Test
  void aRoundTakesUpdatesUpToAndIncludingItsUpdateDeadline() {
    Round r = open(3, 2);
    assertThat(RoundPhase.of(JOB, r, UPDATE_DEADLINE)).isEqualTo(RoundPhase.UPDATES);
    assertThat(RoundPhase.takesUpdates(r, UPDATE_DEADLINE)).isTrue();
    assertThat(RoundPhase.of(JOB, r, UPDATE_DEADLINE + 1)).isEqualTo(RoundPhase.AGGREGATION);
    assertThat(RoundPhase.takesUpdates(r, UPDATE_DEADLINE + 1)).isFalse();
    assertThat(RoundPhase.UPDATES.updatesClosed()).isFalse();
    assertThat(RoundPhase.AGGREGATION.updatesClosed()).isTrue();
  }

  @Test
  void updatesCloseBeforeTheDeadlineOnceEverySelectedParticipantSubmitted() {
    Round r = open(3, 3);
    assertThat(RoundPhase.of(JOB, r, 1)).isEqualTo(RoundPhase.AGGREGATION);
    assertThat(RoundPhase.of(JOB, r, 1).readyToAggregate()).isTrue();
  }

  @Test
  void tooFewUpdatesWaitForTheUpdateDeadlineAndThenReopen() {
    Round allInButTooFew = open(1, 1);
    assertThat(RoundPhase.of(JOB, allInButTooFew, UPDATE_DEADLINE))
        .isEqualTo(RoundPhase.TOO_FEW_UPDATES);
    assertThat(RoundPhase.of(JOB, allInButTooFew, UPDATE_DEADLINE + 1))
        .isEqualTo(RoundPhase.REOPEN_DUE);
    Round oneOfThree = open(3, 1);
    assertThat(RoundPhase.of(JOB, oneOfThree, UPDATE_DEADLINE)).isEqualTo(RoundPhase.UPDATES);
    assertThat(RoundPhase.of(JOB, oneOfThree, UPDATE_DEADLINE + 1))
        .isEqualTo(RoundPhase.REOPEN_DUE);
    // A reopened round (fresh deadlines, no submissions) takes updates again.
    Round reopened =
        open(3, 0).toBuilder().setReopenCount(1).setUpdateDeadline(UPDATE_DEADLINE + 6).build();
    assertThat(RoundPhase.of(JOB, reopened, UPDATE_DEADLINE + 1)).isEqualTo(RoundPhase.UPDATES);
    assertThat(RoundPhase.REOPEN_DUE.readyToAggregate()).isFalse();
  }

  @Test
  void theAggregatorHasUpToAndIncludingTheCommitDeadline() {
    Round r = open(3, 2);
    assertThat(RoundPhase.of(JOB, r, COMMIT_DEADLINE)).isEqualTo(RoundPhase.AGGREGATION);
    assertThat(RoundPhase.of(JOB, r, COMMIT_DEADLINE + 1))
        .isEqualTo(RoundPhase.AGGREGATION_OVERDUE);
    assertThat(RoundPhase.AGGREGATION_OVERDUE.readyToAggregate()).isTrue();
  }

  @Test
  void aCommittedRoundAwaitsAttestationsUntilItsCommitDeadline() {
    Round committed =
        open(3, 3).toBuilder()
            .setStatus(RoundStatus.ROUND_COMMITTED)
            .setCommitDeadline(COMMIT_DEADLINE + 3)
            .build();
    assertThat(RoundPhase.of(JOB, committed, COMMIT_DEADLINE + 3))
        .isEqualTo(RoundPhase.ATTESTATION);
    assertThat(RoundPhase.of(JOB, committed, COMMIT_DEADLINE + 4))
        .isEqualTo(RoundPhase.ATTESTATION_OVERDUE);
    assertThat(RoundPhase.of(JOB, committed, 1).awaitsAttestations()).isTrue();
    assertThat(RoundPhase.takesUpdates(committed, 1)).isFalse();
  }

  @Test
  void aFinalRoundIsFinalAtAnyHeight() {
    Round done = open(3, 3).toBuilder().setStatus(RoundStatus.ROUND_FINAL).build();
    assertThat(RoundPhase.of(JOB, done, 1)).isEqualTo(RoundPhase.FINAL);
    assertThat(RoundPhase.of(JOB, done, 1_000)).isEqualTo(RoundPhase.FINAL);
    assertThat(RoundPhase.takesUpdates(done, 1)).isFalse();
    assertThat(RoundPhase.FINAL.awaitsAttestations()).isFalse();
  }
}
