package org.fedledger.learning.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fedledger.core.privacy.RdpAccountant;
import org.junit.jupiter.api.Test;

class DpPlanTest {
  private static final long DELTA = 10_000_000; // 1e-5

  @Test
  void aTargetEpsilonGivesTheSmallestNoiseThatMeetsIt() {
    // 1200 records per owner, batch 64: q = 0.053334 (rounded up), 19 steps per round, 20 rounds.
    DpResolution r = new DpPlan(1f, 0f, 3_000_000, DELTA, 0).resolve(64, 1200, 1, 20);

    assertThat(r.config().sampleRate()).isEqualTo(0.053334);
    assertThat(r.config().steps()).isEqualTo(19);
    assertThat(r.totalSteps()).isEqualTo(380);
    assertThat(r.epsilonMicros()).isLessThanOrEqualTo(3_000_000);
    long sigma = Math.round(r.config().noiseMultiplier() * 1e6);
    assertThat(RdpAccountant.sampledGaussian(sigma - 1, 53_334).epsilonMicros(380, DELTA))
        .isGreaterThan(3_000_000);
  }

  @Test
  void anExplicitNoiseIsAccountedAsGiven() {
    DpResolution r = new DpPlan(0.5f, 1.1f, 0, DELTA, 0.01).resolve(64, 1200, 2, 10);

    assertThat(r.config().noiseMultiplier()).isEqualTo(1.1f);
    assertThat(r.config().steps()).isEqualTo(200);
    assertThat(r.epsilonMicros())
        .isEqualTo(RdpAccountant.sampledGaussian(1_100_000, 10_000).epsilonMicros(2_000, DELTA));
  }

  @Test
  void refusesNeitherOrBothOfNoiseAndEpsilon() {
    assertThatThrownBy(() -> new DpPlan(1f, 0f, 0, DELTA, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("either a noise multiplier or a target epsilon");
    assertThatThrownBy(() -> new DpPlan(1f, 1f, 3_000_000, DELTA, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DpPlan(1f, 1f, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delta");
  }
}
