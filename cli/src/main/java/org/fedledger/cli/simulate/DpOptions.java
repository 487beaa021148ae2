package org.fedledger.cli.simulate;

import java.util.Optional;
import org.fedledger.learning.privacy.DpDefaults;
import org.fedledger.learning.privacy.DpPlan;
import org.fedledger.learning.train.LearningRateSchedule;
import picocli.CommandLine.Option;

/**
 * The {@code --dp-*} options of {@code simulate}: DP-SGD at every owner, with either an explicit
 * noise multiplier or a target ε from which the accountant derives it; the clip norm, expected
 * batch, learning rate and its schedule default to {@link DpDefaults}.
 */
public final class DpOptions {
  @Option(
      names = "--dp-clip",
      paramLabel = "C",
      description =
          "clip each example's gradient to L2 norm C (default with --dp-epsilon or --dp-noise: "
              + DpDefaults.CLIP_NORM
              + ")")
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
          "Poisson sampling rate per step (default: --dp-batch / mean records per client)")
  Double rate;

  @Option(
      names = "--dp-batch",
      paramLabel = "B",
      description =
          "expected DP batch q·n, which sets q unless --dp-rate is given (default: --batch, at"
              + " least "
              + DpDefaults.MIN_BATCH
              + ")")
  Integer batch;

  @Option(
      names = "--dp-lr",
      paramLabel = "LR",
      description =
          "DP-SGD's learning rate (default: "
              + DpDefaults.STEP_FACTOR
              + " × --lr / C: a clipped step is shorter than a plain one)")
  Double learningRate;

  @Option(
      names = "--dp-lr-schedule",
      paramLabel = "S",
      description =
          "how --dp-lr changes over the rounds, as --lr-schedule, which sets it too"
              + " (default: --lr-schedule if given, else "
              + DpDefaults.SCHEDULE
              + ")")
  String schedule;

  /** The plan the options ask for, empty without any --dp-* option; refuses a half-given one. */
  public Optional<DpPlan> plan() {
    if (clip == null
        && noise == null
        && epsilon == null
        && delta == null
        && rate == null
        && batch == null
        && learningRate == null
        && schedule == null) {
      return Optional.empty();
    }
    if ((noise == null) == (epsilon == null)) {
      throw new IllegalArgumentException(
          "give exactly one of --dp-noise SIGMA (explicit noise) and --dp-epsilon E (derive the"
              + " noise for a target ε)");
    }
    double c = clipNorm();
    if (!(c > 0) || Double.isInfinite(c)) {
      throw new IllegalArgumentException("--dp-clip must be a positive number, got " + c);
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
    if (batch != null && batch < 1) {
      throw new IllegalArgumentException("--dp-batch must be at least 1, got " + batch);
    }
    if (learningRate != null && (!(learningRate > 0) || learningRate.isInfinite())) {
      throw new IllegalArgumentException("--dp-lr must be a positive number, got " + learningRate);
    }
    return Optional.of(
        new DpPlan(
            (float) c,
            noise == null ? 0f : noise.floatValue(),
            epsilon == null ? 0 : Math.round(epsilon * 1e6),
            deltaPerTrillion,
            rate == null ? 0 : rate));
  }

  /** The expected batch DP-SGD samples: --dp-batch, or the default multiple of the plain one. */
  public int batchSize(int plainBatch) {
    return batch != null ? batch : DpDefaults.batchSize(plainBatch);
  }

  /** DP-SGD's learning rate: --dp-lr, or the default rule on the plain rate and C. */
  public double learningRate(double plainRate) {
    return learningRate != null ? learningRate : DpDefaults.learningRate(plainRate, clipNorm());
  }

  /**
   * The schedule of DP-SGD's learning rate: --dp-lr-schedule, else the plain --lr-schedule if given
   * (null if not), else the default. A job on chain has one schedule, which {@code job create
   * --lr-schedule} sets for a DP job too, so the same option trains a simulation alike rather than
   * being ignored; given both, they must agree.
   *
   * @throws IllegalArgumentException if both are given and differ
   */
  public String schedule(String plainSchedule) {
    if (schedule != null && plainSchedule != null) {
      String dp = LearningRateSchedule.parse(schedule).toString();
      String plain = LearningRateSchedule.parse(plainSchedule).toString();
      if (!dp.equals(plain)) {
        throw new IllegalArgumentException(
            "--lr-schedule "
                + plainSchedule
                + " and --dp-lr-schedule "
                + schedule
                + " differ: a DP run trains with one schedule; give only --lr-schedule, as for"
                + " job create");
      }
    }
    if (schedule != null) {
      return schedule;
    }
    return plainSchedule != null ? plainSchedule : DpDefaults.SCHEDULE;
  }

  private double clipNorm() {
    return clip != null ? clip : DpDefaults.CLIP_NORM;
  }
}
