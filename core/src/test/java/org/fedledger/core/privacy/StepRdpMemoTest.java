package org.fedledger.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class StepRdpMemoTest {
  private static final int[] ORDERS = {2, 3, 10, 64};

  @Test
  void aRememberedResultHasTheSameDigitsAsAFreshOne() {
    StepRdpMemo memo = new StepRdpMemo(ORDERS, 1);

    BigDecimal[] first = memo.get(1_100_000, 4_000);
    memo.get(900_000, 4_000); // full: the memo is emptied and computes this one
    BigDecimal[] again = memo.get(1_100_000, 4_000);

    assertThat(again).isNotSameAs(first).isEqualTo(first);
    assertThat(memo.get(1_100_000, 4_000)).isSameAs(again);
    assertThat(SampledGaussianRdp.perStep(1_100_000, 4_000, ORDERS)).isEqualTo(first);
  }
}
