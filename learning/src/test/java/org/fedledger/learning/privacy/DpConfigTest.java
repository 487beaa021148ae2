package org.fedledger.learning.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DpConfigTest {
  @Test
  void theChainsIntegersBecomeTheParameters() {
    DpConfig dp = DpConfig.fromMicros(1_500_000, 1_100_000, 4_267, 120);
    assertThat(dp.clipNorm()).isEqualTo(1.5f);
    assertThat(dp.noiseMultiplier()).isEqualTo(1.1f);
    assertThat(dp.sampleRate()).isEqualTo(0.004267);
    assertThat(dp.steps()).isEqualTo(120);
    assertThat(dp.noiseStddev()).isCloseTo(1.65, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void refusesParametersOutOfRangeWithTheReason() {
    assertThatThrownBy(() -> new DpConfig(0f, 1f, 0.01, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("clip norm must be positive");
    assertThatThrownBy(() -> new DpConfig(Float.NaN, 1f, 0.01, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DpConfig(1f, 0f, 0.01, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("noise multiplier must be between 0.1 and 1000");
    assertThatThrownBy(() -> new DpConfig(1f, 1f, 0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sample rate must be in (0, 1]");
    assertThatThrownBy(() -> new DpConfig(1f, 1f, 1.5, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DpConfig(1f, 1f, 0.1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("steps per round must be at least 1");
    assertThatThrownBy(() -> DpConfig.fromMicros(1, 1_000_000, 10, 3_000_000_000L))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
