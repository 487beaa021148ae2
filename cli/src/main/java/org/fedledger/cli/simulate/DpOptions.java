package org.fedledger.cli.simulate;

import java.util.Optional;
import org.fedledger.learning.privacy.DpPlan;
import picocli.CommandLine.Option;

/**
 * The {@code --dp-*} options of {@code simulate} and {@code bench privacy}: DP-SGD at every owner,
 * with either an explicit noise multiplier or a target ε from which the accountant derives it.
 */
public final class DpOptions {
  @Option(
      names = "--dp-clip",
      paramLabel = "C",
      description = "train with DP-SGD: clip each example's gradient to L2 norm C")
  Double clip;

  @Option(
      names = "--dp-noise",
      paramLabel = "SIGMA",
      description = "DP-SGD noise multiplier σ (noise std σ·C per step); or give --dp-epsilon")
  Double noise;

  @Option(
      names = "--dp-epsilon",
      paramLabel = "E",
      description = "target ε for every owner's records over all rounds: σ is derived")
  Double epsilon;

  @Option(
      names = "--dp-delta",
      paramLabel = "D",
      description = "δ of the (ε, δ) guarantee (default: 1e-5)")
  Double delta;

  @Option(
      names = "--dp-rate",
      paramLabel = "Q",
      description =
          "Poisson sampling rate per step (default: batch size / mean records per client)")
  Double rate;

  /** The plan the options ask for, empty without any --dp-* option; refuses a half-given one. */
  public Optional<DpPlan> plan() {
    if (clip == null && noise == null && epsilon == null && delta == null && rate == null) {
      return Optional.empty();
    }
    if (clip == null) {
      throw new IllegalArgumentException(
          "--dp-clip is required with the other --dp-* options: the L2 norm each example's"
              + " gradient is clipped to, e.g. --dp-clip 1.0");
    }
    if ((noise == null) == (epsilon == null)) {
      throw new IllegalArgumentException(
          "give exactly one of --dp-noise SIGMA (explicit noise) and --dp-epsilon E (derive the"
              + " noise for a target ε)");
    }
    if (!(clip > 0) || clip.isInfinite()) {
      throw new IllegalArgumentException("--dp-clip must be a positive number, got " + clip);
    }
    if (noise != null && !(noise >= 0.1 && noise <= 1000)) {
      throw new IllegalArgumentException(
          "--dp-noise must be between 0.1 and 1000, got "
              + noise
              + ": below 0.1 the noise protects nothing");
    }
    if (epsilon != null && !(epsilon > 0 && epsilon <= 1e6)) {
      throw new IllegalArgumentException(
          "--dp-epsilon must be positive (and at most 1e6), got " + epsilon);
    }
    double d = delta == null ? 1e-5 : delta;
    if (!(d > 0 && d < 1)) {
      throw new IllegalArgumentException("--dp-delta must lie strictly between 0 and 1, got " + d);
    }
    long deltaPerTrillion = Math.round(d * 1e12);
    if (deltaPerTrillion < 1) {
      throw new IllegalArgumentException("--dp-delta must be at least 1e-12, got " + d);
    }
    if (rate != null && !(rate > 0 && rate <= 1)) {
      throw new IllegalArgumentException("--dp-rate must be in (0, 1], got " + rate);
    }
    return Optional.of(
        new DpPlan(
            clip.floatValue(),
            noise == null ? 0f : noise.floatValue(),
            epsilon == null ? 0 : Math.round(epsilon * 1e6),
            deltaPerTrillion,
            rate == null ? 0 : rate));
  }
}
