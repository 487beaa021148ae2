package org.fedledger.learning.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LocalSplitTest {
  private static LabeledData numbered(int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
    }
    return LabeledData.regression(x, new int[] {1}, x.clone(), 1);
  }

  @Test
  void holdsOutTheRoundedFractionDisjointlyInOriginalOrder() {
    DataSplit split = LocalSplit.split(numbered(10), 0.25, 7);
    assertThat(split.test().size()).isEqualTo(3);
    assertThat(split.train().size()).isEqualTo(7);
    Set<Float> seen = new HashSet<>();
    for (float v : split.train().features()) {
      seen.add(v);
    }
    for (float v : split.test().features()) {
      assertThat(seen.add(v)).isTrue();
    }
    assertThat(seen).hasSize(10);
    assertThat(split.test().features()).isSorted();
    assertThat(split.train().features()).isSorted();
  }

  @Test
  void theSameSeedGivesTheSameSplitAndAnotherSeedAnother() {
    LabeledData data = numbered(50);
    assertThat(LocalSplit.split(data, 0.2, 1).test().features())
        .containsExactly(LocalSplit.split(data, 0.2, 1).test().features());
    assertThat(LocalSplit.split(data, 0.2, 1).test().features())
        .isNotEqualTo(LocalSplit.split(data, 0.2, 2).test().features());
  }

  @Test
  void keepsOneSampleOnEachSideOfASmallSplit() {
    assertThat(LocalSplit.split(numbered(3), 0.01, 1).test().size()).isEqualTo(1);
    assertThat(LocalSplit.split(numbered(3), 0.99, 1).train().size()).isEqualTo(1);
    assertThat(LocalSplit.split(numbered(3), 0, 1).test().size()).isZero();
  }

  @Test
  void refusesAFractionOutsideZeroToOne() {
    assertThatThrownBy(() -> LocalSplit.split(numbered(3), 1.0, 1)).hasMessageContaining("[0, 1)");
    assertThatThrownBy(() -> LocalSplit.split(numbered(3), Double.NaN, 1))
        .hasMessageContaining("[0, 1)");
  }
}
