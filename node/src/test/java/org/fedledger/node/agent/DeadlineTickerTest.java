package org.fedledger.node.agent;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeadlineTickerTest {
  @Test
  void anIntervalBelowOneMillisecondIsRefusedBeforeAnythingIsScheduled() {
    for (long bad : new long[] {0, -150}) {
      assertThatThrownBy(() -> new DeadlineTicker(null, bad, () -> true))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("deadline tick interval must be at least 1 ms, got " + bad);
    }
  }
}
