package org.fedledger.core.privacy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Natural logarithm and exponential on {@link BigDecimal} with a fixed {@link MathContext}, by
 * series written here. The JDK has no BigDecimal log/exp, and {@link Math#log} is a double whose
 * last bit may differ between JVMs and CPUs, which a contract cannot afford. Every step below is a
 * BigDecimal add, multiply or divide, which Java specifies to be correctly rounded in the context,
 * so the same input gives the same digits on every machine.
 */
final class DecimalMath {
  /** 36 significant digits: far more than the micro-ε the accountant reports needs. */
  static final MathContext MC = new MathContext(36, RoundingMode.HALF_EVEN);

  /** The series run with extra digits so that their own rounding stays below MC's last digit. */
  private static final MathContext WORK = new MathContext(44, RoundingMode.HALF_EVEN);

  private static final BigDecimal TWO = BigDecimal.valueOf(2);
  private static final BigDecimal EIGHT = BigDecimal.valueOf(8);
  private static final BigDecimal EPSILON = BigDecimal.ONE.movePointLeft(WORK.getPrecision() + 2);

  /** ln 2 = 2 atanh(1/3). */
  static final BigDecimal LN2 = twiceAtanh(BigDecimal.ONE.divide(BigDecimal.valueOf(3), WORK));

  /** ln 10 = 3 ln 2 + ln(5/4), and ln(5/4) = 2 atanh(1/9). */
  static final BigDecimal LN10 =
      LN2.multiply(BigDecimal.valueOf(3))
          .add(twiceAtanh(BigDecimal.ONE.divide(BigDecimal.valueOf(9), WORK)), WORK);

  /** ln(1 + j/8) for j = 0..7: ln((8+j)/8) = 2 atanh(j/(16+j)). */
  private static final BigDecimal[] LN_ONE_PLUS_EIGHTHS = new BigDecimal[8];

  static {
    for (int j = 0; j < 8; j++) {
      LN_ONE_PLUS_EIGHTHS[j] =
          twiceAtanh(BigDecimal.valueOf(j).divide(BigDecimal.valueOf(16L + j), WORK));
    }
  }

  /** e, by the series of exp(1). */
  private static final BigDecimal E = expOfFraction(BigDecimal.ONE);

  private DecimalMath() {}

  /** ln(x) for x > 0, to MC's precision. */
  static BigDecimal ln(BigDecimal x) {
    if (x.signum() <= 0) {
      throw new IllegalArgumentException("ln is defined for positive numbers only, got " + x);
    }
    // x = m · 10^e with 1 <= m < 10, then m = y · 2^k with 1 <= y < 2, then c = 1 + j/8 is the
    // table entry at or just below y: ln x = 2 atanh((y-c)/(y+c)) + ln c + k ln 2 + e ln 10.
    // The atanh argument is below 1/17, so the series gains 2.5 digits per term.
    int decimalExponent = x.precision() - x.scale() - 1;
    BigDecimal y = x.scaleByPowerOfTen(-decimalExponent);
    int halvings = 0;
    while (y.compareTo(TWO) >= 0) {
      y = y.divide(TWO, WORK);
      halvings++;
    }
    int eighths = y.subtract(BigDecimal.ONE).multiply(EIGHT).intValue();
    BigDecimal c = BigDecimal.ONE.add(BigDecimal.valueOf(eighths).divide(EIGHT));
    BigDecimal z = y.subtract(c).divide(y.add(c), WORK);
    return twiceAtanh(z)
        .add(LN_ONE_PLUS_EIGHTHS[eighths], WORK)
        .add(LN2.multiply(BigDecimal.valueOf(halvings)), WORK)
        .add(LN10.multiply(BigDecimal.valueOf(decimalExponent)), WORK)
        .round(MC);
  }

  /**
   * exp(x) for 0 <= x <= 10,000, to MC's precision: e^n for the integer part, a series for the
   * rest.
   */
  static BigDecimal exp(BigDecimal x) {
    if (x.signum() < 0 || x.compareTo(BigDecimal.valueOf(10_000)) > 0) {
      throw new IllegalArgumentException("exp is computed here for 0 <= x <= 10000, got " + x);
    }
    BigDecimal whole = x.setScale(0, RoundingMode.FLOOR);
    BigDecimal fraction = x.subtract(whole);
    return E.pow(whole.intValueExact(), WORK).multiply(expOfFraction(fraction), MC);
  }

  /** 2 atanh(z) = 2 (z + z^3/3 + z^5/5 + ...) for 0 <= z < 1; converges fast for small z. */
  private static BigDecimal twiceAtanh(BigDecimal z) {
    BigDecimal zSquared = z.multiply(z, WORK);
    BigDecimal power = z;
    BigDecimal sum = BigDecimal.ZERO;
    for (int n = 1; power.signum() != 0; n += 2) {
      BigDecimal term = power.divide(BigDecimal.valueOf(n), WORK);
      sum = sum.add(term, WORK);
      if (term.compareTo(EPSILON) < 0) {
        break;
      }
      power = power.multiply(zSquared, WORK);
    }
    return sum.multiply(TWO, WORK);
  }

  /** exp(f) = sum f^k / k! for 0 <= f <= 1. */
  private static BigDecimal expOfFraction(BigDecimal f) {
    BigDecimal term = BigDecimal.ONE;
    BigDecimal sum = BigDecimal.ONE;
    for (int k = 1; term.compareTo(EPSILON) >= 0; k++) {
      term = term.multiply(f, WORK).divide(BigDecimal.valueOf(k), WORK);
      sum = sum.add(term, WORK);
    }
    return sum;
  }
}
