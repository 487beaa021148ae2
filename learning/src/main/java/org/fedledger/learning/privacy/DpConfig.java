package org.fedledger.learning.privacy;

/**
 * DP-SGD at a data owner: in each of {@code steps} steps every local record joins the batch with
 * probability {@code sampleRate} (Poisson sampling, as the accountant assumes), each record's
 * gradient is clipped to L2 norm {@code clipNorm}, and Gaussian noise of standard deviation
 * noiseMultiplier·clipNorm is added to their sum, which is then divided by the expected batch size.
 *
 * @param clipNorm C, positive
 * @param noiseMultiplier σ, at least 0.1 (the accountant's lower bound)
 * @param sampleRate q in (0, 1]
 * @param steps optimiser steps per round, at least 1
 */
public record DpConfig(float clipNorm, float noiseMultiplier, double sampleRate, int steps) {
  public DpConfig {
    if (!(clipNorm > 0) || Float.isInfinite(clipNorm)) {
      throw new IllegalArgumentException(
          "DP clip norm must be positive and finite, got " + clipNorm);
    }
    if (!(noiseMultiplier >= 0.1f) || noiseMultiplier > 1000f) {
      throw new IllegalArgumentException(
          "DP noise multiplier must be between 0.1 and 1000, got "
              + noiseMultiplier
              + ": below 0.1 the noise protects nothing");
    }
    if (!(sampleRate > 0 && sampleRate <= 1)) {
      throw new IllegalArgumentException("DP sample rate must be in (0, 1], got " + sampleRate);
    }
    if (steps < 1) {
      throw new IllegalArgumentException("DP steps per round must be at least 1, got " + steps);
    }
  }

  /** From a job's on-chain integers: clip and σ in millionths, q in parts per million. */
  public static DpConfig fromMicros(
      long clipNormMicros, long noiseMultiplierMicros, long sampleRatePpm, long steps) {
    if (steps > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("DP steps per round too large: " + steps);
    }
    return new DpConfig(
        clipNormMicros / 1e6f,
        atLeast(noiseMultiplierMicros / 1e6),
        sampleRatePpm / 1e6,
        (int) steps);
  }

  /**
   * The standard deviation of the noise added to the sum of clipped gradients: σ times the
   * sensitivity, which is C plus what {@link SecureNoise}'s grid may add, C·{@link
   * SecureNoise#GRID_SENSITIVITY_SHARE}. So the noise is σ times the grid's sensitivity, and the ε
   * the accountant gives for σ (on chain, in {@code simulate}, in {@code bench privacy}) holds for
   * the noised, snapped sum as it is.
   */
  public double noiseStddev() {
    return (double) noiseMultiplier * clipNorm * (1 + SecureNoise.GRID_SENSITIVITY_SHARE);
  }

  // The float nearest to σ may lie below it (by up to 6·10⁻⁸ of σ); the next float up never does,
  // so the owner never adds less noise than the job was priced for.
  private static float atLeast(double value) {
    float f = (float) value;
    return f < value ? Math.nextUp(f) : f;
  }
}
