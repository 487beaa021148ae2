package org.fedledger.ledger.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedledger.ledger.training.DpFixture.DP;
import static org.fedledger.ledger.training.DpFixture.account;
import static org.fedledger.ledger.training.DpFixture.budget;
import static org.fedledger.ledger.training.DpFixture.budgeted;
import static org.fedledger.ledger.training.DpFixture.dpJob;
import static org.fedledger.ledger.training.DpFixture.epsilonAfter;
import static org.fedledger.ledger.training.DpFixture.remaining;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.List;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.registry.PrivacyAccount;
import org.fedledger.core.proto.registry.PrivacyCharge;
import org.fedledger.core.proto.training.Advance;
import org.fedledger.core.proto.training.CancelJob;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.JoinJob;
import org.fedledger.ledger.BlockResult;
import org.fedledger.ledger.registry.PrivacyEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a DP job spends its datasets' budgets on a real ledger: joining reserves the whole job, each
 * released update moves the cumulative cost from reserved to spent, the end of the job hands back
 * the rest; racing jobs, replayed spends and updates the budget cannot cover are refused.
 */
class DpBudgetSpendingTest {
  private static final long BUDGET_EPSILON = 20_000_000;
  private static final long BUDGET_DELTA = 100_000_000;
  private static final long DELTA = DP.getDeltaPerTrillion();

  @TempDir Path dir;
  private TrainingNet net;
  private JobDriver d;

  @BeforeEach
  void open() {
    net = new TrainingNet(dir);
    d = new JobDriver(net);
  }

  @AfterEach
  void close() {
    net.close();
  }

  private Hash twoRoundsThreeOfFour() {
    return d.createAndJoin(
        dpJob(2, 3).setMinUpdates(1).build(),
        p -> budgeted(p, BUDGET_EPSILON, BUDGET_DELTA),
        1,
        2,
        3,
        4);
  }

  private PrivacyCharge charge(int p, Hash job) {
    PrivacyAccount a = account(net, "ds-" + p).orElseThrow();
    return a.getChargesList().stream()
        .filter(c -> c.getJobId().equals(job.toByteString()))
        .findFirst()
        .orElseThrow();
  }

  private boolean selected(long round, int p) {
    return d.round(round).getSelectedList().contains(TrainingNet.bytes(p));
  }

  @Test
  void joiningReservesTheWholeJobOnEachDataset() {
    Hash id = twoRoundsThreeOfFour();
    for (int p = 1; p <= 4; p++) {
      PrivacyAccount a = account(net, "ds-" + p).orElseThrow();
      assertThat(a.getReservedEpsilonMicros()).isEqualTo(epsilonAfter(2));
      assertThat(a.getReservedDeltaPerTrillion()).isEqualTo(DELTA);
      assertThat(a.getSpentEpsilonMicros()).isZero();
      assertThat(charge(p, id).getUpdates()).isZero();
      assertThat(remaining(net, "ds-" + p))
          .isEqualTo(budget(BUDGET_EPSILON - epsilonAfter(2), BUDGET_DELTA - DELTA));
    }
  }

  @Test
  void eachRoundADatasetTrainsSpendsItsCumulativeCostAndCompletionReleasesTheRest() {
    Hash id = twoRoundsThreeOfFour();
    d.start();
    d.submitAll(1);
    for (int p = 1; p <= 4; p++) {
      PrivacyAccount a = account(net, "ds-" + p).orElseThrow();
      if (selected(1, p)) {
        assertThat(a.getSpentEpsilonMicros()).isEqualTo(epsilonAfter(1));
        assertThat(a.getSpentDeltaPerTrillion()).isEqualTo(DELTA);
        assertThat(a.getReservedEpsilonMicros()).isEqualTo(epsilonAfter(2) - epsilonAfter(1));
        assertThat(a.getReservedDeltaPerTrillion()).isZero();
      } else {
        assertThat(a.getSpentEpsilonMicros()).isZero();
        assertThat(a.getReservedEpsilonMicros()).isEqualTo(epsilonAfter(2));
      }
    }
    d.playRoundAfterSubmissions(1, 300_000, 300_000);
    d.playRound(2, 300_000, 300_000);
    assertThat(net.job(id).getStatus()).isEqualTo(JobStatus.JOB_COMPLETED);
    assertThat(net.job(id).getDpAccounting().getEpsilonAfterUpdatesMicrosList())
        .containsExactly(epsilonAfter(1), epsilonAfter(2));

    for (int p = 1; p <= 4; p++) {
      int trained = (selected(1, p) ? 1 : 0) + (selected(2, p) ? 1 : 0);
      long spent = trained == 0 ? 0 : epsilonAfter(trained);
      long spentDelta = trained == 0 ? 0 : DELTA;
      PrivacyAccount a = account(net, "ds-" + p).orElseThrow();
      assertThat(a.getSpentEpsilonMicros()).as("ds-%d", p).isEqualTo(spent);
      assertThat(a.getSpentDeltaPerTrillion()).isEqualTo(spentDelta);
      assertThat(a.getReservedEpsilonMicros()).isZero();
      assertThat(a.getReservedDeltaPerTrillion()).isZero();
      assertThat(charge(p, id).getReleased()).isTrue();
      assertThat(charge(p, id).getUpdates()).isEqualTo(trained);
      assertThat(remaining(net, "ds-" + p))
          .isEqualTo(budget(BUDGET_EPSILON - spent, BUDGET_DELTA - spentDelta));
    }
  }

  @Test
  void cancellationKeepsWhatWasSpentAndReleasesTheRest() {
    Hash id = twoRoundsThreeOfFour();
    d.start();
    int trained = TrainingNet.idOf(d.round(1).getSelected(0));
    net.ok(trained, "training", "SubmitUpdate", d.submission(1, trained));
    Receipt r = net.ok(0, "training", "CancelJob", CancelJob.newBuilder().setJobId(d.id()).build());
    assertThat(r.getEventsList())
        .filteredOn(e -> e.getType().equals(PrivacyEvents.PRIVACY_RELEASED))
        .hasSize(4);

    for (int p = 1; p <= 4; p++) {
      PrivacyAccount a = account(net, "ds-" + p).orElseThrow();
      long spent = p == trained ? epsilonAfter(1) : 0;
      long spentDelta = p == trained ? DELTA : 0;
      assertThat(a.getSpentEpsilonMicros()).isEqualTo(spent);
      assertThat(a.getReservedEpsilonMicros()).isZero();
      assertThat(a.getReservedDeltaPerTrillion()).isZero();
      assertThat(remaining(net, "ds-" + p))
          .isEqualTo(budget(BUDGET_EPSILON - spent, BUDGET_DELTA - spentDelta));
    }
    assertThat(net.job(id).getStatus()).isEqualTo(JobStatus.JOB_CANCELLED);
  }

  @Test
  void cancellingAnOpenJobGivesItsWholeReservationBack() {
    twoRoundsThreeOfFour();
    net.ok(0, "training", "CancelJob", CancelJob.newBuilder().setJobId(d.id()).build());
    for (int p = 1; p <= 4; p++) {
      assertThat(remaining(net, "ds-" + p)).isEqualTo(budget(BUDGET_EPSILON, BUDGET_DELTA));
    }
  }

  @Test
  void twoJobsRacingForTheLastOfADatasetsBudgetInOneBlockExactlyOneWins() {
    // Budget for one two-round job and a half: whichever join runs first takes it.
    net.ok(
        5,
        "registry",
        "RegisterDataset",
        budgeted(5, epsilonAfter(2) + epsilonAfter(2) / 2, BUDGET_DELTA));
    SignedTransaction createA = net.tx(0, "training", "CreateJob", dpJob(2, 1).build());
    SignedTransaction createB = net.tx(0, "training", "CreateJob", dpJob(2, 1).setSeed(7).build());
    JobDriver.assertAllOk(net.block(createA, createB));
    Hash a = TrainingNet.jobId(createA);
    Hash b = TrainingNet.jobId(createB);
    long balance = net.balance(5);

    BlockResult block =
        net.block(
            net.tx(5, "training", "JoinJob", join(a, 5)),
            net.tx(5, "training", "JoinJob", join(b, 5)));

    assertThat(block.receipts().get(0).getStatus()).isEqualTo(ReceiptStatus.OK);
    assertThat(block.receipts().get(1).getStatus()).isEqualTo(ReceiptStatus.FAILED);
    assertThat(block.receipts().get(1).getError()).contains("left of its privacy budget");
    PrivacyAccount account = account(net, "ds-5").orElseThrow();
    assertThat(account.getChargesList())
        .extracting(PrivacyCharge::getJobId)
        .containsExactly(a.toByteString());
    assertThat(net.job(a).getParticipantsList()).containsExactly(TrainingNet.bytes(5));
    assertThat(net.job(b).getParticipantsList()).isEmpty();
    assertThat(net.balance(5)).isEqualTo(balance - JobDriver.STAKE);
  }

  private static JoinJob join(Hash job, int p) {
    return JoinJob.newBuilder()
        .setJobId(job.toByteString())
        .setDatasetId("ds-" + p)
        .setStake(JobDriver.STAKE)
        .build();
  }

  @Test
  void aReplayedOrDuplicatedSpendIsRefusedAndSpendsNothing() {
    twoRoundsThreeOfFour();
    d.start();
    int p = TrainingNet.idOf(d.round(1).getSelected(0));
    SignedTransaction submit = net.tx(p, "training", "SubmitUpdate", d.submission(1, p));
    JobDriver.assertAllOk(net.block(submit));
    PrivacyAccount once = account(net, "ds-" + p).orElseThrow();
    assertThat(once.getSpentEpsilonMicros()).isEqualTo(epsilonAfter(1));

    Receipt replay = net.block(submit).receipts().get(0);
    assertThat(replay.getError()).startsWith("DUPLICATE");
    Receipt again =
        net.send(
            p,
            "training",
            "SubmitUpdate",
            d.submission(1, p).toBuilder().setUpdateHash(TrainingNet.hashBytes("x")).build());
    assertThat(again.getError()).contains("already submitted an update for round 1");
    assertThat(account(net, "ds-" + p).orElseThrow()).isEqualTo(once);
  }

  @Test
  void anUpdateAfterTheDatasetsBudgetIsSpentIsRefusedAndChangesNothingButTheNonce() {
    // One round, both of two owners needed: participant 1's budget is exactly the job's cost.
    d.createAndJoin(
        dpJob(1, 2).setMinUpdates(2).build(),
        p -> budgeted(p, p == 1 ? epsilonAfter(1) : BUDGET_EPSILON, DELTA),
        1,
        2);
    d.start();
    net.ok(1, "training", "SubmitUpdate", d.submission(1, 1));
    assertThat(remaining(net, "ds-1")).isEqualTo(budget(0, 0));
    // Participant 2 never submits: the round reopens, selecting both again.
    net.advanceTo(d.round(1).getUpdateDeadline() + 1);
    net.ok(3, "training", "Advance", Advance.newBuilder().setJobId(d.id()).build());
    assertThat(d.round(1).getReopenCount()).isEqualTo(1);
    assertThat(d.round(1).getSelectedList()).contains(TrainingNet.bytes(1));

    Snapshot before = Snapshot.of(net, d.jobId());
    var accounts = DpFixture.accounts(net);
    long nonce = net.ledger().account(TrainingNet.address(1)).nonce();
    ByteString second = TrainingNet.hashBytes("second");
    Receipt r =
        net.send(
            1,
            "training",
            "SubmitUpdate",
            d.submission(1, 1).toBuilder().setUpdateHash(second).build());
    assertThat(r.getStatus()).isEqualTo(ReceiptStatus.FAILED);
    assertThat(r.getError())
        .startsWith("INVALID_MESSAGE: dataset 'ds-1' has epsilon 0, delta 0 left")
        .contains("update 2 of job")
        .contains("beyond the job's reservation");
    assertThat(Snapshot.of(net, d.jobId())).isEqualTo(before);
    assertThat(DpFixture.accounts(net)).isEqualTo(accounts);
    assertThat(net.ledger().account(TrainingNet.address(1)).nonce()).isEqualTo(nonce + 1);
    // Participant 2, with budget left, still trains the reopened round.
    net.ok(2, "training", "SubmitUpdate", d.submission(1, 2));
    assertThat(account(net, "ds-2").orElseThrow().getSpentEpsilonMicros())
        .isEqualTo(epsilonAfter(1));
    assertThat(List.of(charge(1, d.jobId()).getUpdates())).containsExactly(1L);
  }
}
