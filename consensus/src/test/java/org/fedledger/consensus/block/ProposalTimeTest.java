package org.fedledger.consensus.block;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProposalTimeTest {
  private static final long HOUR = 3_600_000L;
  private static final long PARENT = 1_800_000_000_000L;

  @Test
  void aCorrectClockStampsItsOwnTime() {
    assertThat(ProposalTime.next(PARENT + 40, PARENT, PARENT, 35)).isEqualTo(PARENT + 40);
  }

  @Test
  void aClockJumpedAheadMovesTheChainAtMostTwiceAsFastAsRealTime() {
    assertThat(ProposalTime.next(PARENT + HOUR, PARENT, PARENT, 30)).isEqualTo(PARENT + 60);
  }

  @Test
  void aClockJumpedBackNeverStampsBelowTheParentOrAProposalInFlight() {
    assertThat(ProposalTime.next(PARENT - HOUR, PARENT, PARENT, 30)).isEqualTo(PARENT);
    assertThat(ProposalTime.next(PARENT - HOUR, PARENT + 20, PARENT, 30)).isEqualTo(PARENT + 20);
  }

  @Test
  void afterAnIdleHourTheWallClockRules() {
    assertThat(ProposalTime.next(PARENT + HOUR, PARENT, PARENT, HOUR)).isEqualTo(PARENT + HOUR);
  }

  @Test
  void aChainBehindACorrectClockCatchesUpOneExtraSecondPerSecond() {
    long lagging = PARENT - 10_000; // the chain's time stood still for 10 s during a fault
    assertThat(ProposalTime.next(PARENT, lagging, lagging, 1_000)).isEqualTo(lagging + 2_000);
  }

  @Test
  void withoutAnAppliedParentSeenTheWallClockRules() {
    assertThat(ProposalTime.next(PARENT + HOUR, PARENT, PARENT, -1)).isEqualTo(PARENT + HOUR);
  }

  @Test
  void aCeilingPastTheEndOfTimeSaturates() {
    assertThat(ProposalTime.next(Long.MAX_VALUE, 0, Long.MAX_VALUE - 5, 1_000))
        .isEqualTo(Long.MAX_VALUE);
  }
}
