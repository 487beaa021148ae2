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
    assertThat(dp.noiseStddev())
        .isCloseTo(1.65 * 1.0001, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void theNoiseCoversTheSensitivityTheGridAdds() {
    // Rounding to SecureNoise's grid may lift the sensitivity from C to C·(1 + 10⁻⁴): the noise is
    // σ times that, so the σ the accountant prices is the σ relative to the grid's sensitivity.
    DpConfig dp = new DpConfig(2f, 1.5f, 0.01, 10);
    double gridSensitivity = 2.0 * (1 + SecureNoise.GRID_SENSITIVITY_SHARE);
    assertThat(dp.noiseStddev() / gridSensitivity).isGreaterThanOrEqualTo(1.5);
    assertThat(dp.noiseStddev()).isCloseTo(3.0003, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aNoiseMultiplierFromTheChainIsNeverRoundedDown() {
    // 1.3 has no exact float; the nearest, 1.29999995, would add less noise than priced.
    for (long micros = 100_000; micros < 5_000_000; micros += 7_919) {
      DpConfig dp = DpConfig.fromMicros(1_000_000, micros, 10_000, 1);
      assertThat((double) dp.noiseMultiplier())
          .as("%d micros", micros)
          .isGreaterThanOrEqualTo(micros / 1e6);
    }
    assertThat(DpConfig.fromMicros(1_000_000, 1_300_000, 10_000, 1).noiseMultiplier())
        .isEqualTo(Math.nextUp(1.3f));
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
