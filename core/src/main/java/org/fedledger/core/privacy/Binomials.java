package org.fedledger.core.privacy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Rows of Pascal's triangle, C(α, 0..α), exact as integers and then rounded once to {@link
 * DecimalMath#MC}. They depend on the order alone, so each row is built once per process.
 */
final class Binomials {
  private static final ConcurrentMap<Integer, BigDecimal[]> ROWS = new ConcurrentHashMap<>();

  private Binomials() {}

  /** C(alpha, k) for k = 0..alpha. The caller must not modify the array. */
  static BigDecimal[] row(int alpha) {
    return ROWS.computeIfAbsent(alpha, Binomials::build);
  }

  private static BigDecimal[] build(int alpha) {
    BigDecimal[] row = new BigDecimal[alpha + 1];
    BigInteger coefficient = BigInteger.ONE;
    for (int k = 0; k <= alpha; k++) {
      row[k] = new BigDecimal(coefficient).round(DecimalMath.MC);
      // C(α, k+1) = C(α, k) · (α-k) / (k+1), exactly divisible.
      coefficient =
          coefficient.multiply(BigInteger.valueOf(alpha - k)).divide(BigInteger.valueOf(k + 1L));
    }
    return row;
  }
}
