package org.fedledger.learning.privacy;

import org.fedledger.core.privacy.RdpAccountant;

/**
 * What a user asks of DP-SGD before the data is known: the clip norm, and either the noise
 * multiplier or a target ε (then σ is the smallest the accountant allows), at δ; the sample rate is
 * given or follows from the batch size and the mean local data size. {@link #resolve} turns it into
 * the {@link DpConfig} each owner trains with and the ε every owner's records get.
 *
 * @param clipNorm C, positive
 * @param noiseMultiplier σ, or 0 to derive it from {@code epsilonMicros}
 * @param epsilonMicros the target ε in millionths, or 0 when σ is given
 * @param deltaPerTrillion δ in parts per trillion, in (0, 10¹²)
 * @param sampleRate q in (0, 1], or 0 for batch size / mean local data size
 */
public record DpPlan(
    float clipNorm,
    float noiseMultiplier,
    long epsilonMicros,
    long deltaPerTrillion,
    double sampleRate) {
  public DpPlan {
    if (!(clipNorm > 0) || Float.isInfinite(clipNorm)) {
      throw new IllegalArgumentException(
          "DP clip norm must be positive and finite, got " + clipNorm);
    }
    if ((noiseMultiplier > 0) == (epsilonMicros > 0)) {
      throw new IllegalArgumentException(
          "give either a noise multiplier or a target epsilon for DP, not both and not neither");
    }
    if (noiseMultiplier < 0 || Float.isNaN(noiseMultiplier) || epsilonMicros < 0) {
      throw new IllegalArgumentException("DP noise multiplier and epsilon must be positive");
    }
    if (deltaPerTrillion < 1 || deltaPerTrillion >= RdpAccountant.TRILLION) {
      throw new IllegalArgumentException(
          "DP delta must lie strictly between 0 and 1, got " + deltaPerTrillion / 1e12);
    }
    if (!(sampleRate >= 0 && sampleRate <= 1)) {
      throw new IllegalArgumentException(
          "DP sample rate must be in (0, 1] (or 0 to derive it), got " + sampleRate);
    }
  }

  /**
   * The configuration and its privacy for {@code rounds} rounds of {@code localEpochs} epochs each,
   * every owner counted in every round (an upper bound when fewer are selected).
   *
   * @param meanClientSize the mean number of local training records, for the default sample rate
   * @throws IllegalArgumentException if the accountant refuses the parameters or no σ up to 1000
   *     reaches the target
   */
  public DpResolution resolve(int batchSize, double meanClientSize, int localEpochs, int rounds) {
    double q = sampleRate > 0 ? sampleRate : Math.min(1, batchSize / meanClientSize);
    // Rounded up to the ppm the accountant takes: a larger q can only overstate ε.
    long ratePpm = Math.max(1, (long) Math.ceil(q * 1e6 - 1e-9));
    int steps = Math.toIntExact(Math.max(1, Math.round(localEpochs * 1e6 / ratePpm)));
    long totalSteps = Math.multiplyExact((long) steps, rounds);
    long noiseMicros =
        noiseMultiplier > 0
            ? (long) Math.floor(noiseMultiplier * 1e6 + 1e-3) // rounded down: overstates ε
            : RdpAccountant.noiseMultiplierMicrosFor(
                epsilonMicros, deltaPerTrillion, ratePpm, totalSteps);
    long epsilon =
        RdpAccountant.sampledGaussian(noiseMicros, ratePpm)
            .epsilonMicros(totalSteps, deltaPerTrillion);
    // The owner trains with the exact on-chain integers, so what it does is what was accounted.
    DpConfig config = DpConfig.fromMicros(Math.round(clipNorm * 1e6), noiseMicros, ratePpm, steps);
    return new DpResolution(config, epsilon, deltaPerTrillion, totalSteps);
  }
}
