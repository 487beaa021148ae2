package org.fedledger.core.privacy;

import java.math.BigDecimal;

/**
 * One step's Rényi DP of the Poisson-subsampled Gaussian mechanism at integer orders, by the
 * binomial expansion of Mironov, Talwar and Zhang (2019). Exact decimal arithmetic: see {@link
 * DecimalMath}.
 */
final class SampledGaussianRdp {
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
  private static final BigDecimal TRILLION = BigDecimal.valueOf(1_000_000_000_000L);

  private SampledGaussianRdp() {}

  /** rdp(α) for each order, for noise multiplier σ and sample rate q given in millionths. */
  static BigDecimal[] perStep(long noiseMultiplierMicros, long sampleRatePpm, int[] orders) {
    // 1/σ² = 10¹² / σ_micros², exact integers until the one division.
    BigDecimal inverseVariance =
        TRILLION.divide(BigDecimal.valueOf(noiseMultiplierMicros).pow(2), DecimalMath.MC);
    BigDecimal[] rdp = new BigDecimal[orders.length];
    if (sampleRatePpm == MILLION.longValue()) {
      // Without subsampling it is the Gaussian mechanism: rdp(α) = α / (2σ²).
      for (int i = 0; i < orders.length; i++) {
        rdp[i] =
            inverseVariance
                .multiply(BigDecimal.valueOf(orders[i]))
                .divide(BigDecimal.valueOf(2), DecimalMath.MC);
      }
      return rdp;
    }
    BigDecimal q = BigDecimal.valueOf(sampleRatePpm).divide(MILLION);
    BigDecimal oneMinusQ = BigDecimal.ONE.subtract(q);
    BigDecimal odds = q.divide(oneMinusQ, DecimalMath.MC);
    // The k-th term of A_α is (1-q)^α · C(α,k) · g_k with g_k = (q/(1-q))^k · r^(k(k-1)/2) and
    // r = exp(1/σ²). g_k does not depend on α, and g_(k+1) = g_k · (q/(1-q)) · r^k: one exp and
    // two products per k serve every order.
    int largestOrder = orders[orders.length - 1];
    BigDecimal[] g = new BigDecimal[largestOrder + 1];
    BigDecimal r = DecimalMath.exp(inverseVariance);
    BigDecimal oddsTimesRPower = odds; // (q/(1-q)) · r^k, starting at k = 0
    g[0] = BigDecimal.ONE;
    for (int k = 0; k < largestOrder; k++) {
      g[k + 1] = g[k].multiply(oddsTimesRPower, DecimalMath.MC);
      oddsTimesRPower = oddsTimesRPower.multiply(r, DecimalMath.MC);
    }
    BigDecimal logOneMinusQ = DecimalMath.ln(oneMinusQ);
    for (int i = 0; i < orders.length; i++) {
      int alpha = orders[i];
      // All terms are positive, so the sum loses no digits to cancellation.
      BigDecimal[] binomials = Binomials.row(alpha);
      BigDecimal sum = BigDecimal.ZERO;
      for (int k = 0; k <= alpha; k++) {
        sum = sum.add(binomials[k].multiply(g[k], DecimalMath.MC), DecimalMath.MC);
      }
      BigDecimal logA =
          DecimalMath.ln(sum)
              .add(
                  logOneMinusQ.multiply(BigDecimal.valueOf(alpha), DecimalMath.MC), DecimalMath.MC);
      rdp[i] = logA.divide(BigDecimal.valueOf(alpha - 1L), DecimalMath.MC);
    }
    return rdp;
  }
}
