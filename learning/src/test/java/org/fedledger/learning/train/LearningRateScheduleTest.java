package org.fedledger.learning.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LearningRateScheduleTest {
  @Test
  void constantGivesTheBaseRateAsAFloatEveryRound() {
    LearningRateSchedule s = LearningRateSchedule.parse("constant");
    for (int round = 1; round <= 50; round++) {
      assertThat(s.rate(0.05, round, 50)).isEqualTo((float) 0.05);
    }
    assertThat(s.isConstant()).isTrue();
    assertThat(s).hasToString("constant");
  }

  @Test
  void exponentialMultipliesByTheFactorEachRoundAfterTheFirst() {
    LearningRateSchedule s = LearningRateSchedule.parse("exp:0.5");
    assertThat(s.rate(0.08, 1, 4)).isEqualTo(0.08f);
    assertThat(s.rate(0.08, 2, 4)).isEqualTo(0.04f);
    assertThat(s.rate(0.08, 4, 4)).isEqualTo(0.01f);
    assertThat(s.isConstant()).isFalse();
    assertThat(s).hasToString("exp:0.5");
  }

  @Test
  void cosineFallsFromTheBaseToTheFloorFractionInTheLastRoundWithoutRising() {
    LearningRateSchedule s = LearningRateSchedule.parse("cosine:0.1");
    assertThat(s.rate(0.05, 1, 60)).isEqualTo(0.05f);
    assertThat(s.rate(0.05, 60, 60)).isCloseTo(0.005f, within(1e-9f));
    // Halfway along the half cosine: the mean of the start and the floor.
    assertThat(s.rate(1.0, 3, 5)).isCloseTo(0.55f, within(1e-6f));
    float previous = Float.MAX_VALUE;
    for (int round = 1; round <= 60; round++) {
      float rate = s.rate(0.05, round, 60);
      assertThat(rate).isLessThanOrEqualTo(previous);
      previous = rate;
    }
  }

  @Test
  void cosineToZeroStillTrainsWithAPositiveRateAndOneRoundKeepsTheBase() {
    LearningRateSchedule s = LearningRateSchedule.parse("cosine");
    assertThat(s).hasToString("cosine:0.0");
    assertThat(s.rate(0.05, 10, 10)).isPositive().isLessThan(1e-30f);
    assertThat(s.rate(0.05, 1, 1)).isEqualTo(0.05f);
  }

  @Test
  void aRoundOutsideTheRunOrANonPositiveBaseIsRefused() {
    LearningRateSchedule s = LearningRateSchedule.parse("exp:0.9");
    assertThatThrownBy(() -> s.rate(0.05, 0, 10)).hasMessageContaining("round 0 is not in 1..10");
    assertThatThrownBy(() -> s.rate(0.05, 11, 10)).hasMessageContaining("round 11");
    assertThatThrownBy(() -> s.rate(0, 1, 10)).hasMessageContaining("must be positive");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "step:10|unknown schedule 'step'",
        "exp|exp takes one argument",
        "exp:0|must be in (0, 1]",
        "exp:1.5|must be in (0, 1]",
        "exp:x|'x' is not a number",
        "exp:1e400|not a finite number",
        "exp:NaN|'nan' is not a number",
        "cosine:-0.1|must be in [0, 1]",
        "cosine:0.1:2|at most one argument",
        "constant:1|constant takes no argument",
        "' '|it is empty"
      })
  void badSpecsAreRefusedWithTheReasonAndTheValidForms(String spec, String reason) {
    assertThatThrownBy(() -> LearningRateSchedule.parse(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason)
        .hasMessageContaining("valid: constant, exp:G");
  }
}
