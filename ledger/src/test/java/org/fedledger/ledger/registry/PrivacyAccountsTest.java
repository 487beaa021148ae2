package org.fedledger.ledger.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import org.fedledger.core.proto.registry.Dataset;
import org.fedledger.core.proto.registry.PrivacyAccount;
import org.fedledger.core.proto.registry.PrivacyBudget;
import org.fedledger.ledger.module.TxFailedException;
import org.fedledger.ledger.training.TrainingNet;
import org.junit.jupiter.api.Test;

/** The budget arithmetic: reservation, cumulative spending, release, and what each refuses. */
class PrivacyAccountsTest {
  private static final Dataset WARD =
      Dataset.newBuilder()
          .setDatasetId("ward")
          .setPrivacyBudget(budget(8_000_000, 30_000_000))
          .build();
  private static final ByteString JOB_A = TrainingNet.hashBytes("job-a");
  private static final ByteString JOB_B = TrainingNet.hashBytes("job-b");

  private static PrivacyBudget budget(long eps, long delta) {
    return PrivacyBudget.newBuilder().setEpsilonMicros(eps).setDeltaPerTrillion(delta).build();
  }

  @Test
  void aReservationHoldsTheJobsWholeCostUntilSpent() throws TxFailedException {
    PrivacyAccount a =
        PrivacyAccounts.reserve(
            WARD, PrivacyAccounts.empty("ward"), JOB_A, budget(3_000_000, 10_000_000));
    assertThat(a.getReservedEpsilonMicros()).isEqualTo(3_000_000);
    assertThat(a.getReservedDeltaPerTrillion()).isEqualTo(10_000_000);
    assertThat(a.getSpentEpsilonMicros()).isZero();
    assertThat(PrivacyAccounts.remaining(WARD, a)).isEqualTo(budget(5_000_000, 20_000_000));
  }

  @Test
  void spendingIsCumulativeAndMovesCostFromReservedToSpent() throws TxFailedException {
    PrivacyAccount a =
        PrivacyAccounts.reserve(
            WARD, PrivacyAccounts.empty("ward"), JOB_A, budget(3_000_000, 10_000_000));
    a = PrivacyAccounts.spend(WARD, a, JOB_A, 1, budget(1_200_000, 10_000_000));
    assertThat(a.getSpentEpsilonMicros()).isEqualTo(1_200_000);
    assertThat(a.getSpentDeltaPerTrillion()).isEqualTo(10_000_000);
    assertThat(a.getReservedEpsilonMicros()).isEqualTo(1_800_000);
    assertThat(a.getReservedDeltaPerTrillion()).isZero();
    a = PrivacyAccounts.spend(WARD, a, JOB_A, 2, budget(1_900_000, 10_000_000));
    // Cumulative, not added: two updates together cost 1.9, not 1.2 + 1.9.
    assertThat(a.getSpentEpsilonMicros()).isEqualTo(1_900_000);
    assertThat(a.getReservedEpsilonMicros()).isEqualTo(1_100_000);
    assertThat(PrivacyAccounts.remaining(WARD, a)).isEqualTo(budget(5_000_000, 20_000_000));
  }

  @Test
  void releaseHandsBackWhatTheJobDidNotSpend() throws TxFailedException {
    PrivacyAccount a =
        PrivacyAccounts.reserve(
            WARD, PrivacyAccounts.empty("ward"), JOB_A, budget(3_000_000, 10_000_000));
    a = PrivacyAccounts.spend(WARD, a, JOB_A, 1, budget(1_200_000, 10_000_000));
    a = PrivacyAccounts.release(a, JOB_A);
    assertThat(a.getReservedEpsilonMicros()).isZero();
    assertThat(a.getSpentEpsilonMicros()).isEqualTo(1_200_000);
    assertThat(PrivacyAccounts.remaining(WARD, a)).isEqualTo(budget(6_800_000, 20_000_000));
    assertThat(PrivacyAccounts.release(a, JOB_A)).isEqualTo(a);
    assertThatThrownBy(() -> PrivacyAccounts.spend(WARD, released(), JOB_A, 1, budget(1, 1)))
        .hasMessageContaining("has ended");
  }

  private static PrivacyAccount released() throws TxFailedException {
    return PrivacyAccounts.release(
        PrivacyAccounts.reserve(WARD, PrivacyAccounts.empty("ward"), JOB_A, budget(1, 1)), JOB_A);
  }

  @Test
  void jobsComposeBasicallyAndAReservationTheRemainderCannotCoverIsRefused()
      throws TxFailedException {
    PrivacyAccount a =
        PrivacyAccounts.reserve(
            WARD, PrivacyAccounts.empty("ward"), JOB_A, budget(5_000_000, 10_000_000));
    PrivacyAccount before = a;
    assertThatThrownBy(() -> PrivacyAccounts.reserve(WARD, before, JOB_B, budget(3_000_001, 1)))
        .isInstanceOf(TxFailedException.class)
        .hasMessageContaining("dataset 'ward' has epsilon 3, delta 0.00002 left")
        .hasMessageContaining("needs epsilon 3.000001");
    assertThatThrownBy(() -> PrivacyAccounts.reserve(WARD, before, JOB_B, budget(1, 20_000_001)))
        .hasMessageContaining("needs epsilon 0.000001, delta 0.000020000001");
    a = PrivacyAccounts.reserve(WARD, a, JOB_B, budget(3_000_000, 20_000_000));
    assertThat(PrivacyAccounts.remaining(WARD, a)).isEqualTo(budget(0, 0));
  }

  @Test
  void aReplayedOrOutOfOrderSpendIsRefused() throws TxFailedException {
    PrivacyAccount a =
        PrivacyAccounts.reserve(
            WARD, PrivacyAccounts.empty("ward"), JOB_A, budget(3_000_000, 10_000_000));
    PrivacyAccount once = PrivacyAccounts.spend(WARD, a, JOB_A, 1, budget(1_200_000, 10_000_000));
    assertThatThrownBy(
            () -> PrivacyAccounts.spend(WARD, once, JOB_A, 1, budget(1_200_000, 10_000_000)))
        .hasMessageContaining("has spent 1 updates")
        .hasMessageContaining("a spend is counted once");
    assertThatThrownBy(
            () -> PrivacyAccounts.spend(WARD, once, JOB_A, 3, budget(2_500_000, 10_000_000)))
        .hasMessageContaining("update 3 is not the next one");
    assertThatThrownBy(
            () -> PrivacyAccounts.spend(WARD, once, JOB_B, 1, budget(1_200_000, 10_000_000)))
        .hasMessageContaining("holds no privacy reservation for job");
    assertThatThrownBy(() -> PrivacyAccounts.reserve(WARD, once, JOB_A, budget(1, 1)))
        .hasMessageContaining("already holds a reservation");
  }

  @Test
  void spendingBeyondTheReservationTakesFromTheRemainderOrIsRefused() throws TxFailedException {
    PrivacyAccount a =
        PrivacyAccounts.reserve(
            WARD, PrivacyAccounts.empty("ward"), JOB_A, budget(3_000_000, 10_000_000));
    a = PrivacyAccounts.spend(WARD, a, JOB_A, 1, budget(3_000_000, 10_000_000));
    a = PrivacyAccounts.spend(WARD, a, JOB_A, 2, budget(7_000_000, 10_000_000));
    assertThat(a.getSpentEpsilonMicros()).isEqualTo(7_000_000);
    assertThat(PrivacyAccounts.remaining(WARD, a)).isEqualTo(budget(1_000_000, 20_000_000));
    PrivacyAccount full = a;
    assertThatThrownBy(
            () -> PrivacyAccounts.spend(WARD, full, JOB_A, 3, budget(8_000_001, 10_000_000)))
        .hasMessageContaining("update 3 of job")
        .hasMessageContaining("beyond the job's reservation");
  }

  @Test
  void decimalsReadAsPeopleWriteThem() {
    assertThat(PrivacyAccounts.epsilon(3_500_000)).isEqualTo("3.5");
    assertThat(PrivacyAccounts.epsilon(0)).isEqualTo("0");
    assertThat(PrivacyAccounts.delta(10_000_000)).isEqualTo("0.00001");
  }
}
