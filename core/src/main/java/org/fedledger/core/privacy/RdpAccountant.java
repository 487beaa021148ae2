package org.fedledger.core.privacy;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The privacy cost of DP-SGD: Rényi differential privacy of the Poisson-subsampled Gaussian
 * mechanism, composed over steps and converted to (ε, δ).
 *
 * <p>One step samples each record independently with probability q and adds Gaussian noise of
 * standard deviation σ·C to the sum of gradients clipped to norm C. At an integer order α its RDP
 * is log(A_α)/(α-1) with the binomial expansion of Mironov, Talwar and Zhang, "Rényi Differential
 * Privacy of the Sampled Gaussian Mechanism" (2019, Section 3.3):
 *
 * <pre>A_α = Σ_{k=0..α} C(α,k) (1-q)^(α-k) q^k exp((k²-k) / (2σ²))</pre>
 *
 * RDP composes by addition, so T steps cost T times one step's RDP at every order. The conversion
 * to (ε, δ) is the one TF Privacy's and Opacus' RDP accountants use today (Balle et al. 2020,
 * "Hypothesis Testing Interpretations and Rényi Differential Privacy", Proposition 12; also
 * Canonne, Kamath, Steinke 2020, eq. 20):
 *
 * <pre>ε = min over α of  T·rdp(α) + log(1 - 1/α) - log(δ·α)/(α-1),  and at least 0</pre>
 *
 * <p>Only integer orders 2..64 and a few larger ones are tried, where the Python accountants also
 * try fractional orders; a minimum over fewer orders can only be larger, so ε here is the same or
 * slightly conservative, never smaller. The arithmetic is {@link BigDecimal} with a fixed context
 * and hand-written log/exp ({@link DecimalMath}), with no floating point anywhere, so every node
 * that runs it in a contract gets the same digits. The per-order RDP of one step is computed once
 * per accountant; {@link #epsilonMicros} is then a few multiplications per order.
 */
public final class RdpAccountant {
  /** The smallest noise multiplier accepted: 0.1. Below it ε is in the millions: no privacy. */
  public static final long MIN_NOISE_MULTIPLIER_MICROS = 100_000;

  /** The largest noise multiplier accepted: 1000. Above it the update is all noise. */
  public static final long MAX_NOISE_MULTIPLIER_MICROS = 1_000_000_000;

  /** Sample rates are parts per million, 1 (one in a million) to 1,000,000 (every record). */
  public static final long MAX_SAMPLE_RATE_PPM = 1_000_000;

  /** δ is in parts per trillion and must lie strictly between 0 and 1. */
  public static final long TRILLION = 1_000_000_000_000L;

  /** A billion steps: far beyond any training job, and ε·10⁶ still fits in a long below it. */
  public static final long MAX_STEPS = 1_000_000_000;

  /**
   * The orders tried: every integer 2..64, then sparser up to 256. Opacus' default list stops at
   * 63; orders above 256 only win for ε below about 0.05 at δ = 1e-5, where a slightly loose ε is
   * harmless.
   */
  private static final int[] ORDERS = orders();

  /**
   * The part of the conversion that depends on α alone: log(1 - 1/α) - log(α)/(α-1), and 1/(α-1),
   * computed once for all accountants.
   */
  private static final BigDecimal[] ORDER_TERM = new BigDecimal[ORDERS.length];

  private static final BigDecimal[] INVERSE_ORDER_MINUS_ONE = new BigDecimal[ORDERS.length];

  static {
    for (int i = 0; i < ORDERS.length; i++) {
      BigDecimal alpha = BigDecimal.valueOf(ORDERS[i]);
      BigDecimal alphaMinusOne = BigDecimal.valueOf(ORDERS[i] - 1L);
      INVERSE_ORDER_MINUS_ONE[i] = BigDecimal.ONE.divide(alphaMinusOne, DecimalMath.MC);
      BigDecimal logOneMinusInverse = DecimalMath.ln(alphaMinusOne.divide(alpha, DecimalMath.MC));
      ORDER_TERM[i] =
          logOneMinusInverse.subtract(
              DecimalMath.ln(alpha).multiply(INVERSE_ORDER_MINUS_ONE[i], DecimalMath.MC),
              DecimalMath.MC);
    }
  }

  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  /**
   * One step's RDP for recently used (σ, q). Building it is the costly part (a few thousand decimal
   * products); a chain asks for the same job's parameters at every join and round. The memo returns
   * the same digits it would compute, so it cannot change a result.
   */
  private static final StepRdpMemo STEP_RDP = new StepRdpMemo(ORDERS, 256);

  private final long noiseMultiplierMicros;
  private final long sampleRatePpm;

  /** RDP of one step at each of {@link #ORDERS}. */
  private final BigDecimal[] stepRdp;

  private RdpAccountant(long noiseMultiplierMicros, long sampleRatePpm, BigDecimal[] stepRdp) {
    this.noiseMultiplierMicros = noiseMultiplierMicros;
    this.sampleRatePpm = sampleRatePpm;
    this.stepRdp = stepRdp;
  }

  /**
   * Validates and refuses (IllegalArgumentException with the reason) out-of-range parameters: noise
   * multiplier 0 or absurd, sample rate 0 or > 1, etc.
   */
  public static RdpAccountant sampledGaussian(long noiseMultiplierMicros, long sampleRatePpm) {
    if (noiseMultiplierMicros < MIN_NOISE_MULTIPLIER_MICROS
        || noiseMultiplierMicros > MAX_NOISE_MULTIPLIER_MICROS) {
      throw new IllegalArgumentException(
          "noise multiplier must be between 0.1 and 1000 (100000 to 1000000000 micros), got "
              + noiseMultiplierMicros
              + " micros: below 0.1 the mechanism protects nothing, above 1000 it learns nothing");
    }
    if (sampleRatePpm < 1 || sampleRatePpm > MAX_SAMPLE_RATE_PPM) {
      throw new IllegalArgumentException(
          "sample rate must be between 1 and 1000000 parts per million (a probability in (0, 1]),"
              + " got "
              + sampleRatePpm);
    }
    return new RdpAccountant(
        noiseMultiplierMicros, sampleRatePpm, STEP_RDP.get(noiseMultiplierMicros, sampleRatePpm));
  }

  /**
   * ε in millionths after `steps` steps at δ, rounded UP (never understate ε). Refuses steps < 1,
   * delta outside (0, 1), and parameters where the computation is not valid.
   *
   * <p>The integer-order expansion is exact for every (σ, q) the factory accepts (no numerical
   * integration, no cancellation), so what is refused is out-of-range input and an ε too large for
   * a long in micros. The 36-digit arithmetic could round the wrong way only if ε lay within 10⁻³⁰
   * of a micro boundary.
   */
  public long epsilonMicros(long steps, long deltaPerTrillion) {
    if (steps < 1 || steps > MAX_STEPS) {
      throw new IllegalArgumentException(
          "steps must be between 1 and " + MAX_STEPS + ", got " + steps);
    }
    if (deltaPerTrillion < 1 || deltaPerTrillion >= TRILLION) {
      throw new IllegalArgumentException(
          "delta must lie strictly between 0 and 1 (1 to 999999999999 parts per trillion), got "
              + deltaPerTrillion);
    }
    BigDecimal logDelta =
        DecimalMath.ln(BigDecimal.valueOf(deltaPerTrillion))
            .subtract(DecimalMath.LN10.multiply(BigDecimal.valueOf(12)), DecimalMath.MC);
    BigDecimal stepCount = BigDecimal.valueOf(steps);
    BigDecimal best = null;
    for (int i = 0; i < ORDERS.length; i++) {
      BigDecimal epsilon =
          stepRdp[i]
              .multiply(stepCount, DecimalMath.MC)
              .add(ORDER_TERM[i], DecimalMath.MC)
              .subtract(logDelta.multiply(INVERSE_ORDER_MINUS_ONE[i], DecimalMath.MC));
      if (best == null || epsilon.compareTo(best) < 0) {
        best = epsilon;
      }
    }
    if (best.signum() <= 0) {
      return 0;
    }
    BigDecimal micros = best.multiply(MILLION).setScale(0, RoundingMode.CEILING);
    if (micros.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException(
          "epsilon after " + steps + " steps exceeds what a long holds in micros: no privacy");
    }
    return micros.longValueExact();
  }

  /** The smallest noise multiplier (micros) whose ε after `steps` is <= epsilonMicros. */
  public static long noiseMultiplierMicrosFor(
      long epsilonMicros, long deltaPerTrillion, long sampleRatePpm, long steps) {
    if (epsilonMicros < 1) {
      throw new IllegalArgumentException(
          "target epsilon must be positive (micros >= 1), got " + epsilonMicros);
    }
    // ε falls as σ grows (each order's RDP does), so bisect on σ in micros.
    long low = MIN_NOISE_MULTIPLIER_MICROS;
    long high = MAX_NOISE_MULTIPLIER_MICROS;
    if (sampledGaussian(high, sampleRatePpm).epsilonMicros(steps, deltaPerTrillion)
        > epsilonMicros) {
      throw new IllegalArgumentException(
          "no noise multiplier up to 1000 reaches epsilon "
              + epsilonMicros
              + " micros at this sample rate and step count: allow a larger epsilon, fewer steps"
              + " or a lower sample rate");
    }
    if (sampledGaussian(low, sampleRatePpm).epsilonMicros(steps, deltaPerTrillion)
        <= epsilonMicros) {
      return low;
    }
    while (high - low > 1) {
      long middle = low + (high - low) / 2;
      if (sampledGaussian(middle, sampleRatePpm).epsilonMicros(steps, deltaPerTrillion)
          <= epsilonMicros) {
        high = middle;
      } else {
        low = middle;
      }
    }
    return high;
  }

  public long noiseMultiplierMicros() {
    return noiseMultiplierMicros;
  }

  public long sampleRatePpm() {
    return sampleRatePpm;
  }

  private static int[] orders() {
    int[] larger = {80, 96, 128, 160, 192, 256};
    int[] all = new int[63 + larger.length];
    for (int alpha = 2; alpha <= 64; alpha++) {
      all[alpha - 2] = alpha;
    }
    System.arraycopy(larger, 0, all, 63, larger.length);
    return all;
  }
}
