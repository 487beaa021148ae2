package org.fedledger.learning.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DpStrategiesTest {
  @ParameterizedTest
  @ValueSource(
      strings = {"krum", "krum:2", "multi-krum:7", "Multi-Krum:7:3", "multi-krum:4+clip:2"})
  void distanceRankingStrategiesAreNamedWithTheReasonAndTheAlternatives(String strategy) {
    assertThat(DpStrategies.problem(strategy))
        .hasValueSatisfying(
            reason ->
                assertThat(reason)
                    .contains("ranks updates by their distances")
                    .contains("DP-SGD's noise dominates")
                    .contains("fedavg+clip:C"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"fedavg", "fedavg+clip:2", "median", "trimmed-mean:0.2", "fedadam", "fedavgm"})
  void normBoundedAndCoordinateWiseStrategiesSuitDp(String strategy) {
    assertThat(DpStrategies.problem(strategy)).isEmpty();
  }

  @Test
  void aStrategyNamedLikeKrumButLongerIsNotMistakenForIt() {
    assertThat(DpStrategies.problem("krummy")).isEmpty();
  }
}
