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

  // Three samples of shape [1] with two targets each: sample i has feature i, targets (i, -i).
  private static final LabeledData REG =
      LabeledData.regression(
          new float[] {0, 1, 2}, new int[] {1}, new float[] {0, 0, 1, -1, 2, -2}, 2);

  @Test
  void regressionDataKeepsTargetsThroughViews() {
    assertThat(REG.isRegression()).isTrue();
    assertThat(REG.outputCount()).isEqualTo(2);
    assertThat(REG.size()).isEqualTo(3);
    LabeledData sub = REG.subset(new int[] {2, 0});
    assertThat(sub.features()).containsExactly(2, 0);
    assertThat(sub.targets(0)).containsExactly(2, -2);
    assertThat(sub.target(1, 1)).isEqualTo(0f);
    assertThat(sub.targets()).containsExactly(2, -2, 0, 0);
    float[] buf = new float[3];
    REG.range(1, 2).copyTargets(0, buf, 1);
    assertThat(buf).containsExactly(0, 1, -1);
  }

  @Test
  void withTargetsReplacesTargetsOfAViewOnly() {
    LabeledData sub = REG.subset(new int[] {1});
    LabeledData moved = sub.withTargets(new float[] {5, 6});
    assertThat(moved.targets()).containsExactly(5, 6);
    assertThat(moved.features()).containsExactly(1);
    assertThat(REG.targets(1)).containsExactly(1, -1);
    assertThatThrownBy(() -> sub.withTargets(new float[] {1})).hasMessageContaining("expected 2");
    assertThatThrownBy(() -> REG.subset(new int[] {0, 0}).withTargets(new float[] {1, 1, 2, 2}))
        .hasMessageContaining("repeats");
  }

  @Test
  void withFeaturesKeepsTheAnswersOfAView() {
    LabeledData sub = DATA.subset(new int[] {3, 0});
    LabeledData scaled = sub.withFeatures(new float[] {9, 9, 8, 8});
    assertThat(scaled.features()).containsExactly(9, 9, 8, 8);
    assertThat(scaled.labels()).containsExactly(1, 0);
    LabeledData reg = REG.subset(new int[] {2}).withFeatures(new float[] {7});
    assertThat(reg.targets()).containsExactly(2, -2);
    assertThatThrownBy(() -> sub.withFeatures(new float[3]))
        .hasMessageContaining("need 4 feature values");
  }

  @Test
  void labelAccessorsRefuseRegressionDataAndTargetAccessorsRefuseClasses() {
    assertThat(DATA.isRegression()).isFalse();
    assertThat(DATA.outputCount()).isEqualTo(2);
    assertThatThrownBy(REG::classCount)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("regression targets");
    assertThatThrownBy(() -> REG.label(0)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(REG::labels).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> REG.withLabels(new int[3])).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> DATA.targets(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("class labels");
    assertThatThrownBy(DATA::targets).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void regressionRejectsInconsistentOrNonFiniteTargets() {
    assertThatThrownBy(() -> LabeledData.regression(new float[2], new int[] {1}, new float[3], 2))
        .hasMessageContaining("not a whole number");
    assertThatThrownBy(() -> LabeledData.regression(new float[3], new int[] {1}, new float[2], 1))
        .hasMessageContaining("need 2 feature values");
    assertThatThrownBy(
            () ->
                LabeledData.regression(new float[2], new int[] {1}, new float[] {0, Float.NaN}, 1))
        .hasMessageContaining("target 0 of sample 1 is NaN");
    assertThatThrownBy(() -> LabeledData.regression(new float[0], new int[] {1}, new float[0], 0))
        .hasMessageContaining("at least one output");
  }
}
