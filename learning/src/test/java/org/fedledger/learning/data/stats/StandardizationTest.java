package org.fedledger.learning.data.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fedledger.learning.data.LabeledData;
import org.junit.jupiter.api.Test;

class StandardizationTest {
  @Test
  void meanAndPopulationStdComeFromTheStatistics() {
    // Feature 0: 1, 2, 3, 4 (mean 2.5, std sqrt(1.25)); feature 1 constant 7.
    LabeledData data =
        LabeledData.regression(
            new float[] {1, 7, 2, 7, 3, 7, 4, 7}, new int[] {2}, new float[] {1, 2, 3, 4}, 1);
    Standardization s = FeatureStatistics.of(data).standardization();
    assertThat(s.mean()).containsExactly(2.5f, 7f);
    assertThat(s.std()).containsExactly((float) Math.sqrt(1.25), 1f);
    LabeledData z = s.apply(data.subset(new int[] {3, 0}));
    float sd = (float) Math.sqrt(1.25);
    assertThat(z.features()).containsExactly((4 - 2.5f) / sd, 0, (1 - 2.5f) / sd, 0);
    assertThat(z.targets()).containsExactly(4, 1);
  }

  @Test
  void aFeatureWithoutSamplesIsLeftAlone() {
    Standardization s =
        FeatureStatistics.of(new long[] {0}, new double[] {0}, new double[] {0}).standardization();
    assertThat(s.mean()).containsExactly(0f);
    assertThat(s.std()).containsExactly(1f);
  }

  @Test
  void refusesDataOfAnotherWidthAndInvalidValues() {
    Standardization s = Standardization.of(new float[] {0, 0}, new float[] {1, 1});
    LabeledData three = LabeledData.of(new float[3], new int[] {3}, new int[] {0}, 2);
    assertThatThrownBy(() -> s.apply(three))
        .hasMessageContaining("for 2 features but the data has 3");
    assertThatThrownBy(() -> Standardization.of(new float[] {0}, new float[] {0}))
        .hasMessageContaining("std positive");
    assertThatThrownBy(() -> Standardization.of(new float[] {0}, new float[] {1, 1}))
        .hasMessageContaining("one mean and one std");
  }
}
