package org.fedledger.node.api.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.fedledger.core.tx.TxRejection;
import org.junit.jupiter.api.Test;

class RefusalBudgetTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final RefusalBudget budget =
      RefusalBudget.builder()
          .optBurst(100)
          .optRefillPerSecond(10)
          .optMaxHeldPerClient(2)
          .optMaxClients(3)
          .optNanoClock(now::get)
          .build();

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void aClientNeverChargedMaySubmitAndIsNotRemembered() {
    assertThat(budget.waitFor("honest")).isEmpty();
    budget.charge("honest", 0);

    assertThat(budget.waitFor("honest")).isEmpty();
    assertThat(budget.tracked()).isZero();
  }

  @Test
  void aClientMaySubmitUntilItsBurstIsSpentThenWaitsForTheRefillToPayItsDebt() {
    budget.charge("flooder", 99);
    assertThat(budget.waitFor("flooder")).as("one token left").isEmpty();

    budget.charge("flooder", 301); // 1 - 301 = -300 tokens: 30 s of refill to reach 0
    assertThat(budget.waitFor("flooder"))
        .hasValueSatisfying(
            w -> assertThat(w).isBetween(Duration.ofSeconds(30), Duration.ofMillis(30_100)));

    advance(Duration.ofSeconds(20));
    assertThat(budget.waitFor("flooder").orElseThrow())
        .isBetween(Duration.ofSeconds(10), Duration.ofMillis(10_100));

    advance(Duration.ofMillis(10_100));
    assertThat(budget.waitFor("flooder")).isEmpty();
  }

  @Test
  void oneClientsDebtNeverSlowsAnother() {
    budget.charge("flooder", 10_000);

    assertThat(budget.waitFor("flooder")).isPresent();
    assertThat(budget.waitFor("honest")).isEmpty();
  }

  @Test
  void theBucketRefillsToItsBurstAndNoFurther() {
    budget.charge("client", 1);
    advance(Duration.ofHours(1));
    budget.charge("client", 100);

    assertThat(budget.waitFor("client"))
        .as("a long pause does not bank more than the burst")
        .isPresent();
  }

  @Test
  void aClientWhoseDebtIsPaidBackIsForgotten() {
    budget.charge("client", 50);
    assertThat(budget.tracked()).isOne();

    advance(Duration.ofSeconds(5));
    assertThat(budget.waitFor("client")).isEmpty();

    assertThat(budget.tracked()).isZero();
  }

  @Test
  void onlyRefusalsACorrectClientNeverCausesCount() {
    assertThat(RefusalBudget.counts(TxRejection.BAD_SIGNATURE)).isTrue();
    assertThat(RefusalBudget.counts(TxRejection.MALFORMED)).isTrue();
    assertThat(RefusalBudget.counts(TxRejection.WRONG_CHAIN)).isTrue();
    assertThat(RefusalBudget.counts(TxRejection.INVALID_MESSAGE)).isTrue();
    assertThat(RefusalBudget.counts(TxRejection.INSUFFICIENT_BALANCE)).isTrue();
    assertThat(RefusalBudget.counts(TxRejection.DUPLICATE)).as("a resend").isFalse();
    assertThat(RefusalBudget.counts(TxRejection.BAD_NONCE)).as("a race").isFalse();
    assertThat(RefusalBudget.counts(TxRejection.MEMPOOL_FULL)).as("the node's load").isFalse();
  }

  @Test
  void aWaitingClientHasAtMostItsShareOfHeldRequests() {
    budget.charge("flooder", 1_000);
    assertThat(budget.hold("honest")).as("a client that need not wait is not held").isFalse();

    assertThat(budget.hold("flooder")).isTrue();
    assertThat(budget.hold("flooder")).isTrue();
    assertThat(budget.hold("flooder")).as("a third at once").isFalse();

    budget.release("flooder");
    assertThat(budget.hold("flooder")).isTrue();
  }

  @Test
  void pastItsMostClientsTheBudgetForgetsRefilledOnesFirstAndKeepsIndebtedOnes() {
    budget.charge("a", 1_000);
    budget.charge("b", 1_000);
    budget.charge("c", 1);
    advance(Duration.ofMillis(200)); // c has refilled; a and b are still deep in debt

    budget.charge("d", 1_000);

    assertThat(budget.tracked()).isEqualTo(3);
    assertThat(budget.waitFor("a")).isPresent();
    assertThat(budget.waitFor("b")).isPresent();
    assertThat(budget.waitFor("d")).isPresent();
  }

  @Test
  void pastItsMostClientsWithNoneRefilledANewClientGoesUntracked() {
    budget.charge("a", 1_000);
    budget.charge("b", 1_000);
    budget.charge("c", 1_000);

    budget.charge("d", 1_000);

    assertThat(budget.tracked()).isEqualTo(3);
    assertThat(budget.waitFor("a")).as("an indebted client is never forgotten early").isPresent();
    assertThat(budget.waitFor("d")).isEmpty();
  }

  @Test
  void aBudgetWithoutRefillIsRefused() {
    assertThatThrownBy(() -> RefusalBudget.builder().optRefillPerSecond(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refill 0/s");
  }
}
