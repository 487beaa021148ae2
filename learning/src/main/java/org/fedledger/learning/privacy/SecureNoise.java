package org.fedledger.learning.privacy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The randomness of DP-SGD: which records a step samples and the Gaussian noise it adds, from a
 * cryptographically secure generator. Neither may be predictable: amplification by sampling assumes
 * the batch is secret, and the noise hides a record only if nobody can subtract it.
 *
 * <p><b>The stream.</b> AES-256 in counter mode (the JDK's {@code AES/CTR/NoPadding}), keyed with
 * 32 bytes and a 16-byte initial counter from {@link SecureRandom}, a fresh key for every
 * generator. Counter-mode AES is the generator of NIST SP 800-90A's CTR_DRBG: its output cannot be
 * told from random bytes by anyone without the key unless AES is broken, and one generator draws
 * far fewer than the 2⁶⁴ blocks where that argument weakens (a round of DP-SGD on a model of a
 * million parameters draws about 10⁸). It replaced BouncyCastle's ChaCha20, which is as secure but
 * runs in Java; the JDK runs AES-CTR on the processor's AES instructions, about a hundred times
 * faster here (BENCHMARKS.md, "Differential privacy"). Without those instructions the JDK falls
 * back to its own Java AES, slower but just as sound.
 *
 * <p><b>The normal sampler.</b> Marsaglia and Tsang's ziggurat ("The ziggurat method for generating
 * random variables", 2000) with 256 strips, replacing Box-Muller's log, square root, sine and
 * cosine per pair. It is exact, not an approximation: the region under the half-normal density (and
 * its tail) is cut into 256 pieces of equal area v; a piece is chosen uniformly and a point
 * uniformly inside it, so every point under the curve is equally likely and the point's abscissa
 * has the half-normal density. Most draws fall in a piece's part wholly under the curve and cost
 * one 64-bit word: 8 bits choose the piece, 1 bit the sign, 53 bits the uniform (disjoint bits, so
 * independent). The rest are settled by an exact rejection test against exp(−x²/2), and draws
 * beyond the last piece (|x| &gt; r ≈ 3.65) by Marsaglia's exact tail method. The only error is the
 * tables' double-precision arithmetic, within 10⁻¹³ of a piece's area.
 *
 * <p><b>The grid.</b> Floating-point noise leaks (Mironov 2012, "On significance of the least
 * significant bits for differential privacy"): the doubles a sampler produces are not evenly
 * spaced, so the low bits of value + noise tell values apart. Google's differential-privacy library
 * answers with noise on a power-of-two grid, and so does {@link #addNoise}: the value is rounded to
 * a grid γℤ, a Gaussian sample is rounded to γℤ, and the sum is exact. The result equals
 * round_γ(round_γ(x) + N), i.e. the Gaussian mechanism on round_γ(x) followed by post-processing.
 * Rounding moves x by at most γ/2 per coordinate, so the sensitivity grows from C to at most C +
 * γ√d; γ is chosen so that γ√d ≤ C·{@link #GRID_SENSITIVITY_SHARE}, and {@link
 * DpConfig#noiseStddev} draws noise for that larger sensitivity, so the noise multiplier the
 * accountant prices is the one the grid leaves.
 */
public final class SecureNoise {
  /** How much rounding to the grid may add to the sensitivity, relative to the clip norm. */
  public static final double GRID_SENSITIVITY_SHARE = 1e-4;

  // Small blocks: the JDK compiles its AES-CTR loop onto the AES instructions only once the loop
  // has been called some ten thousand times; with 1 KiB blocks that is after about 10 MB of stream
  // (a few rounds of a small model), where 64 KiB blocks took 600 MB at 100 times the cost per
  // byte.
  private static final int BLOCK = 1 << 10;
  private static final int DESCENT_CHUNK = 1 << 10;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final Cipher stream;
  private final byte[] zeros = new byte[BLOCK];
  private final byte[] buffer = new byte[BLOCK];
  private int position = BLOCK;

  private SecureNoise(byte[] key, byte[] counter) {
    try {
      stream = Cipher.getInstance("AES/CTR/NoPadding");
      stream.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(counter));
    } catch (GeneralSecurityException e) {
      // Every Java platform must provide AES/CTR/NoPadding with 256-bit keys.
      throw new IllegalStateException("this JDK cannot run AES-256 in counter mode", e);
    }
  }

  /** A generator keyed from the platform's {@link SecureRandom}. */
  public static SecureNoise create() {
    SecureRandom seeds = new SecureRandom();
    byte[] key = new byte[32];
    byte[] counter = new byte[16];
    seeds.nextBytes(key);
    seeds.nextBytes(counter);
    return new SecureNoise(key, counter);
  }

  /**
   * A generator with a fixed key, for tests only: its draws can be replayed by anyone who knows the
   * key, so it hides nothing.
   */
  static SecureNoise withFixedKeyForTests(long seed) {
    byte[] key = new byte[32];
    LONGS.set(key, 0, seed);
    return new SecureNoise(key, new byte[16]);
  }

  /** True with probability p: one Poisson-sampling decision. */
  public boolean sample(double p) {
    return uniform53(nextLong()) < p;
  }

  /**
   * The grid γ for noise over d coordinates with clip norm C: the largest power of two with γ√d ≤
   * C·{@link #GRID_SENSITIVITY_SHARE}.
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
    double[] granules = new double[values.length];
    drawGranules(granules, granules.length, stddev, granularity);
    addDrawnNoise(FloatBuffer.wrap(values), granules, 0, granularity, 1);
  }

  /**
   * Draws the noise of {@link #addNoise} ahead of the values it will hide: granules[i] ← round(N(0,
   * stddev²)/γ), the noise in whole grid steps (an integer, held exactly by a double). The noise
   * depends on no data, so it can be drawn before the data's gradient exists (see {@link
   * NoiseAhead}); {@link #addDrawnNoise} then adds it.
   */
  public void drawGranules(double[] granules, int count, double stddev, double granularity) {
    // γ is a power of two, so multiplying by 1/γ is exact and gives the same bits as dividing by γ,
    // at a fraction of a division's cost.
    double noisePerGranule = stddev * (1 / granularity);
    for (int i = 0; i < count; i++) {
      granules[i] = Math.rint(gaussian() * noisePerGranule);
    }
  }

  /**
   * values[i] ← (round_γ(values[i]) + γ·granules[offset + i]) / divisor for every i below the
   * buffer's limit. The noised sum is exact: round(values[i]/γ) + granules[offset + i] is a sum of
   * two integers in double, so it is the mechanism's output on the grid γℤ (in grid steps); scaling
   * it by γ/divisor and storing it as float is post-processing of that exact sum, so the stored
   * bits tell nothing about the value beyond it (Mironov 2012). The buffer is read and written at
   * absolute positions; its position is left alone.
   */
  public static void addDrawnNoise(
      FloatBuffer values, double[] granules, int offset, double granularity, double divisor) {
    int count = values.limit();
    if (granules.length - offset < count) {
      throw new IllegalArgumentException(
          "noise for " + (granules.length - offset) + " values drawn, " + count + " to hide");
    }
    // γ is a power of two, so 1/γ is exact and v·(1/γ) has the bits of v/γ. One factor γ/divisor
    // then scales the exact sum in grid steps, rather than a multiplication and a division (a
    // division per coordinate was a visible share of a DP step).
    double perGranule = 1 / granularity;
    double scale = granularity / divisor;
    for (int i = 0; i < count; i++) {
      double noisedGranules = Math.rint(values.get(i) * perGranule) + granules[offset + i];
      values.put(i, (float) (noisedGranules * scale));
    }
  }

  /**
   * weights[i] ← weights[i] − step·γ·(round(sums[i]/γ) + granules[offset + i]) for every i below
   * the sums' limit: a step of SGD along the noised sum ({@code step} is the learning rate over the
   * expected batch), in one pass, where {@link #addDrawnNoise} and an optimiser took two and an
   * array between them. The noised sum in grid steps is exact as there; the step is post-processing
   * of it, computed in double and stored as float. Both buffers are read and written at absolute
   * positions; their positions are left alone.
   *
   * @throws IllegalArgumentException if the buffers differ in length or the drawn noise is short
   */
  public static void descendAlongNoisedSum(
      FloatBuffer weights,
      FloatBuffer sums,
      double[] granules,
      int offset,
      double granularity,
      double step) {
    int count = sums.limit();
    if (weights.limit() != count) {
      throw new IllegalArgumentException(
          "a sum of " + count + " values for " + weights.limit() + " weights");
    }
    if (granules.length - offset < count) {
      throw new IllegalArgumentException(
          "noise for " + (granules.length - offset) + " values drawn, " + count + " to hide");
    }
    double perGranule = 1 / granularity;
    double stepPerGranule = step * granularity;
    // Through Java arrays a chunk at a time: bulk copies in and out of the (native) buffers, and a
    // loop over arrays that the JIT vectorises, took little more than half the time of reading and
    // writing the buffers value by value.
    float[] weightChunk = new float[DESCENT_CHUNK];
    float[] sumChunk = new float[DESCENT_CHUNK];
    for (int start = 0; start < count; start += DESCENT_CHUNK) {
      int length = Math.min(DESCENT_CHUNK, count - start);
      weights.get(start, weightChunk, 0, length);
      sums.get(start, sumChunk, 0, length);
      int base = offset + start;
      for (int i = 0; i < length; i++) {
        double noisedGranules = Math.rint(sumChunk[i] * perGranule) + granules[base + i];
        weightChunk[i] = (float) (weightChunk[i] - noisedGranules * stepPerGranule);
      }
      weights.put(start, weightChunk, 0, length);
    }
  }

  /** One standard normal draw (the ziggurat, see the class comment). */
  double gaussian() {
    while (true) {
      long bits = nextLong();
      int strip = (int) bits & 0xFF;
      double x = uniform53(bits) * Ziggurat.X[strip];
      if (x < Ziggurat.X[strip + 1]) {
        // Inside the strip's part that lies wholly under the curve (for strip 0, the base
        // rectangle [0, r] × [0, f(r)]). The sign bit 0x100 is moved onto x's sign bit (bit 63)
        // rather than branched on: a random sign mispredicts half the time, which cost as much
        // as the rest of the draw. Bit for bit the same value as (bits & 0x100) == 0 ? x : -x.
        return Double.longBitsToDouble(Double.doubleToRawLongBits(x) ^ ((bits & 0x100) << 55));
      }
      if (strip == 0) {
        double tail = tail();
        return (bits & 0x100) == 0 ? tail : -tail;
      }
      // The wedge between the strip's inner rectangle and the curve: keep x if a uniform height in
      // the strip falls under f(x); otherwise start again with a new strip.
      double height =
          Ziggurat.F[strip] + uniform53(nextLong()) * (Ziggurat.F[strip + 1] - Ziggurat.F[strip]);
      if (height < Math.exp(-0.5 * x * x)) {
        return (bits & 0x100) == 0 ? x : -x;
      }
    }
  }

  /** Marsaglia (1964): the normal conditioned on x &gt; r, exactly, by rejection. */
  private double tail() {
    while (true) {
      double a = -Math.log(1 - uniform53(nextLong())) / Ziggurat.R;
      double b = -Math.log(1 - uniform53(nextLong()));
      if (2 * b > a * a) {
        return Ziggurat.R + a;
      }
    }
  }

  /** A uniform double in [0, 1) from the 53 high bits of a word. */
  private static double uniform53(long bits) {
    return (bits >>> 11) * 0x1.0p-53;
  }

  private long nextLong() {
    if (position == BLOCK) {
      try {
        stream.update(zeros, 0, BLOCK, buffer, 0);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-CTR failed to produce its key stream", e);
      }
      position = 0;
    }
    long bits = (long) LONGS.get(buffer, position);
    position += 8;
    return bits;
  }

  /**
   * The ziggurat's tables for f(x) = exp(−x²/2) and 256 strips of area V each: X[0] = V/f(R) (the
   * base strip, rectangle and tail together, as a rectangle of equal area), X[1] = R, X[i+1] = the
   * x where f rises by V/X[i] above f(X[i]), X[256] = 0; F[i] = f(X[i]). R is Marsaglia and Tsang's
   * for 256 strips; V is computed from it (R·f(R) plus the tail's area) rather than taken from
   * their 12 printed digits, so that the top strip closes: its area X[255]·(1 − F[255]) comes out V
   * to within 10⁻¹³ of V, which the class checks when it loads.
   */
  private static final class Ziggurat {
    static final double R = 3.654152885361009;
    static final double V = R * f(R) + tail(R);
    static final double[] X = new double[257];
    static final double[] F = new double[257];

    static {
      X[0] = V / f(R);
      X[1] = R;
      for (int i = 1; i < 255; i++) {
        X[i + 1] = StrictMath.sqrt(-2 * StrictMath.log(V / X[i] + f(X[i])));
      }
      X[256] = 0;
      for (int i = 0; i <= 256; i++) {
        F[i] = f(X[i]);
      }
      double topArea = X[255] * (1 - F[255]);
      if (!(Math.abs(topArea - V) <= 1e-13 * V)) {
        throw new IllegalStateException(
            "the ziggurat's strips do not close: top strip " + topArea + ", others " + V);
      }
    }

    private Ziggurat() {}

    private static double f(double x) {
      return StrictMath.exp(-0.5 * x * x);
    }

    /** ∫ f from r to ∞, by Laplace's continued fraction f(r)/(r + 1/(r + 2/(r + 3/(r + ...)))). */
    private static double tail(double r) {
      double t = r;
      for (int k = 400; k >= 1; k--) {
        t = r + k / t;
      }
      return f(r) / t;
    }
  }
}
