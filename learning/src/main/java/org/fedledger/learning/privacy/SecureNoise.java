package org.fedledger.learning.privacy;

import java.security.SecureRandom;
import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * The randomness of DP-SGD: which records a step samples and the Gaussian noise it adds, from a
 * cryptographically secure generator (ChaCha20, BouncyCastle, keyed from {@link SecureRandom}).
 * Neither may be predictable: amplification by sampling assumes the batch is secret, and the noise
 * hides a record only if nobody can subtract it.
 *
 * <p>Floating-point noise leaks (Mironov 2012, "On significance of the least significant bits for
 * differential privacy"): the doubles a sampler produces are not evenly spaced, so the low bits of
 * value + noise tell values apart. Google's differential-privacy library answers with noise on a
 * power-of-two grid; it is not on Maven Central's copy in this offline build, so this class does
 * the same by hand ({@link #addNoise}): the value is rounded to a grid γℤ, a Gaussian sample is
 * rounded to γℤ, and the sum is exact. The result equals round_γ(round_γ(x) + N), i.e. the Gaussian
 * mechanism on round_γ(x) followed by post-processing; rounding moves x by at most γ/2 per
 * coordinate, so the sensitivity grows from C to at most C + γ√d. γ is chosen so that γ√d ≤ C·10⁻⁴,
 * which the accounting absorbs by reading σ as σ/(1 + 10⁻⁴): a change in ε far below the micro the
 * chain records.
 */
public final class SecureNoise {
  /** How much rounding to the grid may add to the sensitivity, relative to the clip norm. */
  public static final double GRID_SENSITIVITY_SHARE = 1e-4;

  private static final int BLOCK = 4096;
  private final ChaCha7539Engine stream = new ChaCha7539Engine();
  private final byte[] zeros = new byte[BLOCK];
  private final byte[] buffer = new byte[BLOCK];
  private int position = BLOCK;

  private SecureNoise(byte[] key, byte[] nonce) {
    stream.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
  }

  /** A generator keyed from the platform's {@link SecureRandom}. */
  public static SecureNoise create() {
    SecureRandom seeds = new SecureRandom();
    byte[] key = new byte[32];
    byte[] nonce = new byte[12];
    seeds.nextBytes(key);
    seeds.nextBytes(nonce);
    return new SecureNoise(key, nonce);
  }

  /** True with probability p: one Poisson-sampling decision. */
  public boolean sample(double p) {
    return uniform53() < p;
  }

  /**
   * The grid γ for noise of standard deviation stddev over d coordinates with clip norm C: the
   * largest power of two with γ√d ≤ C·{@link #GRID_SENSITIVITY_SHARE}.
   */
  public static double granularity(double clipNorm, long coordinates) {
    double bound = clipNorm * GRID_SENSITIVITY_SHARE / Math.sqrt((double) Math.max(1, coordinates));
    return Math.scalb(1.0, Math.getExponent(bound));
  }

  /**
   * values[i] ← round_γ(values[i]) + γ·round(N(0, stddev²)/γ), summed exactly in double and then
   * stored as float (post-processing).
   */
  public void addNoise(float[] values, double stddev, double granularity) {
    for (int i = 0; i < values.length; i += 2) {
      // Box-Muller: two independent standard normals from two uniforms.
      double radius = Math.sqrt(-2 * Math.log(1 - uniform53()));
      double angle = 2 * Math.PI * uniform53();
      values[i] = snapSum(values[i], radius * Math.cos(angle) * stddev, granularity);
      if (i + 1 < values.length) {
        values[i + 1] = snapSum(values[i + 1], radius * Math.sin(angle) * stddev, granularity);
      }
    }
  }

  private static float snapSum(float value, double noise, double granularity) {
    double snappedValue = Math.rint(value / granularity) * granularity;
    double snappedNoise = Math.rint(noise / granularity) * granularity;
    return (float) (snappedValue + snappedNoise);
  }

  /** A uniform double in [0, 1) from 53 fresh bits of the stream. */
  private double uniform53() {
    if (position + 8 > BLOCK) {
      stream.processBytes(zeros, 0, BLOCK, buffer, 0);
      position = 0;
    }
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits = (bits << 8) | (buffer[position++] & 0xFF);
    }
    return (bits >>> 11) * 0x1.0p-53;
  }
}
