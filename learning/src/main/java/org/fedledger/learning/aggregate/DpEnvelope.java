package org.fedledger.learning.aggregate;

/**
 * What an honest DP-SGD update can look like, from what the job declares (all on chain, so every
 * verifier computes the same bounds). An owner with n records runs {@code steps} plain SGD steps at
 * {@code learningRate}; each step's batch takes every record with probability q, clips each
 * record's gradient to L2 norm C, adds Gaussian noise of standard deviation s to the sum and
 * divides by the expected batch size q·n. So its delta is signal plus noise:
 *
 * <ul>
 *   <li>the noise is isotropic Gaussian, {@code τ = lr·s·√steps/(q·n)} per coordinate;
 *   <li>the signal has norm at most {@code lr·C·(Σ batch sizes)/(q·n)}, and the batch sizes sum to
 *       a Binomial(steps·n, q) count of mean μ = steps·q·n.
 * </ul>
 *
 * <p>Both tails have bounds that hold for every model size, which {@link #normBound} uses with a
 * false-reject probability p split evenly between them (x = ln(2/p)): the squared norm of d
 * standard normals exceeds {@code d + 2√(d·x) + 2x} with probability at most e^−x (Laurent and
 * Massart 2000, Lemma 1), and a binomial count exceeds {@code μ + √(2μx) + 2x/3} with probability
 * at most e^−x (Bernstein's inequality). An honest update is therefore longer than the bound with
 * probability at most p. The bounds assume plain SGD; FedProx's pull towards the global weights
 * only shortens an update. Arithmetic is in double with {@link StrictMath}, so the bounds are the
 * same bits on every machine.
 *
 * @param clipNorm C, the per-record clipping norm
 * @param noiseStddev s, the standard deviation of the noise added to each step's clipped sum
 * @param sampleRate q, the Poisson sampling rate
 * @param steps local SGD steps per round
 * @param learningRate the job's local learning rate
 */
public record DpEnvelope(
    double clipNorm, double noiseStddev, double sampleRate, int steps, double learningRate) {
  public DpEnvelope {
    positive("DP clip norm", clipNorm);
    positive("DP noise standard deviation", noiseStddev);
    positive("DP sample rate", sampleRate);
    positive("learning rate", learningRate);
    if (sampleRate > 1) {
      throw new IllegalArgumentException("DP sample rate must be at most 1, got " + sampleRate);
    }
    if (steps < 1) {
      throw new IllegalArgumentException("DP steps per round must be at least 1, got " + steps);
    }
  }

  /** τ: the standard deviation of an honest update's noise in each coordinate. */
  public double noisePerCoordinate(long sampleCount) {
    return learningRate * noiseStddev * Math.sqrt(steps) / (sampleRate * sampleCount);
  }

  /**
   * B: the longest signal an honest owner's update carries, except with probability e^−x.
   *
   * @param x the tail exponent, ln of one over the allowed probability
   */
  public double signalBound(long sampleCount, double x) {
    double mu = steps * sampleRate * sampleCount;
    double batches = mu + Math.sqrt(2 * mu * x) + 2 * x / 3;
    return learningRate * clipNorm * batches / (sampleRate * sampleCount);
  }

  /**
   * The longest honest update of a model with {@code coordinates} values: B plus τ times the
   * chi-square bound on the noise's norm, each tail at p/2.
   *
   * @param falseRejectProbability p, how often an honest update may exceed the bound
   */
  public double normBound(long sampleCount, long coordinates, double falseRejectProbability) {
    double x = tailExponent(falseRejectProbability);
    double d = coordinates;
    double noiseNorm =
        noisePerCoordinate(sampleCount) * Math.sqrt(d + 2 * Math.sqrt(d * x) + 2 * x);
    return signalBound(sampleCount, x) + noiseNorm;
  }

  /** x = ln(2/p): each of the two tails (noise, batch sizes) gets p/2. */
  static double tailExponent(double falseRejectProbability) {
    return StrictMath.log(2 / falseRejectProbability);
  }

  private static void positive(String what, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(what + " must be positive and finite, got " + value);
    }
  }
}
