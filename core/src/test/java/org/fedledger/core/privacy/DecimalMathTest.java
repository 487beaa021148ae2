package org.fedledger.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class DecimalMathTest {
  // Reference digits: ln 2, ln 10 and e to 40 places (OEIS A002162, A002392, A001113); ours
  // carry 36 significant digits.
  private static final BigDecimal LN2 =
      new BigDecimal("0.6931471805599453094172321214581765680755");
  private static final BigDecimal LN10 =
      new BigDecimal("2.3025850929940456840179914546843642076011");
  private static final BigDecimal E = new BigDecimal("2.7182818284590452353602874713526624977572");

  @Test
  void lnOfTwoAndTenMatchTheirKnownDigits() {
    assertClose(DecimalMath.ln(BigDecimal.valueOf(2)), LN2, "1e-35");
    assertClose(DecimalMath.ln(BigDecimal.TEN), LN10, "1e-35");
  }

  @Test
  void expOfOneIsE_andLnUndoesExp() {
    assertClose(DecimalMath.exp(BigDecimal.ONE), E, "1e-35");
    BigDecimal x = new BigDecimal("37.125");
    assertClose(DecimalMath.ln(DecimalMath.exp(x)), x, "1e-33");
  }

  @Test
  void lnOfTinyNumbersKeepsItsDigits() {
    // ln(10^-300) = -300 ln 10 = -690.77...: 36 significant digits leave 33 places.
    assertClose(
        DecimalMath.ln(BigDecimal.ONE.movePointLeft(300)),
        LN10.multiply(BigDecimal.valueOf(-300)),
        "1e-32");
  }

  @Test
  void refusesWhatItCannotCompute() {
    assertThatThrownBy(() -> DecimalMath.ln(BigDecimal.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> DecimalMath.exp(BigDecimal.valueOf(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 <= x <= 10000");
  }

  private static void assertClose(BigDecimal actual, BigDecimal expected, String tolerance) {
    assertThat(actual.subtract(expected).abs()).isLessThan(new BigDecimal(tolerance));
  }
}
