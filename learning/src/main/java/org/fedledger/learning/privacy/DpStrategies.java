package org.fedledger.learning.privacy;

import java.util.Locale;
import java.util.Optional;
import org.fedledger.learning.aggregate.DpEnvelope;

/**
 * Which aggregation strategies still work on DP-SGD updates. Krum and Multi-Krum rank updates by
 * their distances to each other; under DP-SGD each update is mostly Gaussian noise of norm about
 * σ·C·√d/(q·n) per step, so those distances measure the noise (and so which owners have the least
 * data) far more than what the owners learned, and a sign-flipped update is no farther from the
 * rest than an honest one (BENCHMARKS.md, "Differential privacy": with 3 sign-flippers of 10, the
 * attackers' reward share rose from 1 % to 52 %). Norm-bounded strategies keep their guarantee
 * under noise: {@code +clip:C} bounds any one update's pull on the average whatever its content,
 * and the coordinate-wise median and trimmed mean do not rank whole updates. {@code dp-bounded} is
 * built for DP jobs: it bounds each update by what the job's DP-SGD lets an honest one be; {@code
 * dp-evidence} also excludes an owner whose updates kept pointing against the others' over the
 * rounds, which works when owners hold thousands of records (BENCHMARKS.md, "dp-evidence").
 */
public final class DpStrategies {
  private DpStrategies() {}

  /**
   * Why the strategy does not suit a DP job, or empty if it does.
   *
   * @param strategy a strategy spec as {@code Strategies.parse} takes it, e.g. {@code multi-krum:7}
   */
  public static Optional<String> problem(String strategy) {
    String base = strategy.trim().toLowerCase(Locale.ROOT).split("[:+]", 2)[0];
    if (!base.equals("krum") && !base.equals("multi-krum")) {
      return Optional.empty();
    }
    return Optional.of(
        base
            + " ranks updates by their distances, which DP-SGD's noise dominates: it stops telling"
            + " poisoned updates from honest ones; use dp-bounded, which bounds each update by"
            + " what the job's DP-SGD allows an honest one, or a norm-bounded strategy, e.g."
            + " fedavg+clip:C, median or trimmed-mean:B");
  }

  /**
   * What an honest update of a job training with {@code dp} at {@code learningRate} can look like,
   * for {@code dp-bounded}.
   */
  public static DpEnvelope envelope(DpConfig dp, double learningRate) {
    return new DpEnvelope(
        dp.clipNorm(), dp.noiseStddev(), dp.sampleRate(), dp.steps(), learningRate);
  }
}
