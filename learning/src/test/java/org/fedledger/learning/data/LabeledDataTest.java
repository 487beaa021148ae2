package org.fedledger.learning.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LabeledDataTest {
  // Four samples of shape [2]: sample i has features (i, 10 i) and label i % 2.
  private static final LabeledData DATA =
      LabeledData.of(
          new float[] {0, 0, 1, 10, 2, 20, 3, 30}, new int[] {2}, new int[] {0, 1, 0, 1}, 2);

  @Test
  void subsetsAreViewsInTheGivenOrderAndCompose() {
    LabeledData sub = DATA.subset(new int[] {3, 1});
    assertThat(sub.size()).isEqualTo(2);
    assertThat(sub.features(0)).containsExactly(3, 30);
    assertThat(sub.labels()).containsExactly(1, 1);
    LabeledData subSub = sub.subset(new int[] {1});
    assertThat(subSub.features(0)).containsExactly(1, 10);
    assertThat(DATA.range(1, 3).features()).containsExactly(1, 10, 2, 20);
    assertThat(DATA.classCounts()).containsExactly(2, 2);
  }

  @Test
  void withLabelsReplacesLabelsOfAViewOnly() {
    LabeledData sub = DATA.subset(new int[] {2, 0});
    LabeledData flipped = sub.withLabels(new int[] {1, 1});
    assertThat(flipped.labels()).containsExactly(1, 1);
    assertThat(flipped.features(0)).containsExactly(2, 20);
    assertThat(sub.labels()).containsExactly(0, 0);
    assertThat(DATA.labels()).containsExactly(0, 1, 0, 1);
    assertThatThrownBy(() -> sub.withLabels(new int[] {1})).hasMessageContaining("expected 2");
    assertThatThrownBy(() -> DATA.subset(new int[] {0, 0}).withLabels(new int[] {0, 1}))
        .hasMessageContaining("repeats");
  }

  @Test
  void rejectsInconsistentInput() {
    assertThatThrownBy(() -> LabeledData.of(new float[3], new int[] {2}, new int[] {0, 1}, 2))
        .hasMessageContaining("need 4 feature values");
    assertThatThrownBy(() -> LabeledData.of(new float[2], new int[] {1}, new int[] {0, 2}, 2))
        .hasMessageContaining("label 2 of sample 1");
    assertThatThrownBy(() -> DATA.subset(new int[] {4}))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> DATA.range(3, 2)).isInstanceOf(IndexOutOfBoundsException.class);
  }
}
