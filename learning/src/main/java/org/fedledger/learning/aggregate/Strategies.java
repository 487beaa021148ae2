package org.fedledger.learning.aggregate;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.fedledger.learning.spec.SpecNumbers;

/**
 * Parses strategy specs into aggregators. Grammar: {@code BASE[+clip:C]} where BASE is one of
 *
 * <ul>
 *   <li>{@code fedavg} — sample-weighted mean;
 *   <li>{@code fedavgm} — weighted mean + server momentum (lr 1.0, momentum 0.9);
 *   <li>{@code fedadam} — weighted mean + server Adam (lr 0.01, betas 0.9/0.99, tau 1e-3);
 *   <li>{@code median} — coordinate-wise median;
 *   <li>{@code trimmed-mean:B} — coordinate-wise mean after trimming fraction B from each side;
 *   <li>{@code krum[:F]}, {@code multi-krum:M[:F]} — Krum keeping M updates, assuming F Byzantine
 *       (default: the most Krum tolerates);
 *   <li>{@code dp-bounded[:P]} — for DP-SGD jobs only: rejects updates longer than an honest DP-SGD
 *       update can be except with probability P (default 1e-6), clamps each update's pull along the
 *       median direction to what honest signal can be, and averages ({@link DpBoundedMean}); it
 *       needs the job's DP parameters and learning rate ({@link DpEnvelope});
 *   <li>{@code dp-evidence[:P]} — for DP-SGD jobs only: dp-bounded that also excludes, from then
 *       on, a participant whose updates kept pointing against the others' over the rounds, which an
 *       honest owner does with probability at most P ({@link DpEvidence})
 * </ul>
 *
 * and {@code +clip:C} clips each delta to L2 norm C before combining (not with dp-bounded or
 * dp-evidence, which bound norms themselves).
 */
public final class Strategies {
  public static final String VALID =
      "fedavg, fedavgm, fedadam, median, trimmed-mean:B (0 <= B < 0.5), krum[:F],"
          + " multi-krum:M[:F], each optionally followed by +clip:C; for DP jobs also"
          + " dp-bounded[:P], dp-evidence[:P] (0 < P <= 0.5)";

  public static final double FEDAVGM_LR = 1.0;
  public static final double FEDAVGM_MOMENTUM = 0.9;
  public static final double FEDADAM_LR = 0.01;
  public static final double FEDADAM_BETA1 = 0.9;
  public static final double FEDADAM_BETA2 = 0.99;
  public static final double FEDADAM_TAU = 1e-3;

  private static final String DP_BOUNDED = "dp-bounded";
  private static final String DP_EVIDENCE = "dp-evidence";
  private static final String NEEDS_DP =
      " bounds updates by the job's DP-SGD parameters (clip norm, noise, sample rate,"
          + " steps) and learning rate, so it needs a job with differential privacy; give the job"
          + " DP options or choose another strategy";
  // Any valid envelope: check() needs the spec's syntax only, the real bounds come with the data.
  private static final DpEnvelope CHECK_ONLY = new DpEnvelope(1, 1, 1, 1, 1);

  private Strategies() {}

  /** Parses spec, running on all available processors (results do not depend on it). */
  public static StrategyAggregator parse(String spec) {
    return parse(spec, Parallel.available());
  }

  /** Parses a strategy that does not need a DP job's parameters (all but dp-bounded). */
  public static StrategyAggregator parse(String spec, Parallel parallel) {
    return parse(spec, parallel, Optional.empty());
  }

  /**
   * True if the strategy bounds updates by a DP job's parameters, so that it needs them ({@link
   * #parse(String, Parallel, Optional)}) and refuses a job without differential privacy.
   */
  public static boolean needsDp(String spec) {
    if (spec == null) {
      return false;
    }
    String s = spec.trim().toLowerCase(Locale.ROOT);
    return s.startsWith(DP_BOUNDED) || s.startsWith(DP_EVIDENCE);
  }

  /**
   * Checks a spec as a job would run it, before the job's data (and so its DP parameters) are
   * known.
   *
   * @param dpJob whether the job trains with DP-SGD
   * @throws IllegalArgumentException with the reason if the spec is bad or does not suit the job
   */
  public static void check(String spec, boolean dpJob) {
    parse(spec, Parallel.SERIAL, dpJob ? Optional.of(CHECK_ONLY) : Optional.empty());
  }

  /**
   * Parses spec for a job.
   *
   * @param dp what the job's DP-SGD makes of an honest update, or empty for a job without DP
   */
  public static StrategyAggregator parse(String spec, Parallel parallel, Optional<DpEnvelope> dp) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("empty aggregation strategy; valid: " + VALID);
    }
    String s = spec.trim().toLowerCase(Locale.ROOT);
    Double clip = null;
    int plus = s.indexOf('+');
    if (plus >= 0) {
      String suffix = s.substring(plus + 1);
      if (!suffix.startsWith("clip:")) {
        throw bad(spec, "unknown modifier '+" + suffix + "'");
      }
      clip = number(spec, suffix.substring("clip:".length()));
      s = s.substring(0, plus);
    }
    String[] parts = s.split(":", -1);
    Combiner combiner;
    ServerOptimizer optimizer = new PlainStep();
    try {
      switch (parts[0]) {
        case "fedavg" -> {
          arity(spec, parts, 1, 1);
          combiner = new WeightedMean();
        }
        case "fedavgm" -> {
          arity(spec, parts, 1, 1);
          combiner = new WeightedMean();
          optimizer = new ServerMomentum(FEDAVGM_LR, FEDAVGM_MOMENTUM);
        }
        case "fedadam" -> {
          arity(spec, parts, 1, 1);
          combiner = new WeightedMean();
          optimizer = new ServerAdam(FEDADAM_LR, FEDADAM_BETA1, FEDADAM_BETA2, FEDADAM_TAU);
        }
        case "median" -> {
          arity(spec, parts, 1, 1);
          combiner = new CoordinateMedian();
        }
        case "trimmed-mean" -> {
          arity(spec, parts, 2, 2);
          combiner = new TrimmedMean(number(spec, parts[1]));
        }
        case "krum" -> {
          arity(spec, parts, 1, 2);
          combiner = new Krum(1, parts.length > 1 ? integer(spec, parts[1]) : OptionalInt.empty());
        }
        case "multi-krum" -> {
          arity(spec, parts, 2, 3);
          combiner =
              new Krum(
                  integer(spec, parts[1]).getAsInt(),
                  parts.length > 2 ? integer(spec, parts[2]) : OptionalInt.empty());
        }
        case DP_BOUNDED, DP_EVIDENCE -> {
          arity(spec, parts, 1, 2);
          if (clip != null) {
            throw bad(spec, parts[0] + " bounds each update's norm itself; drop the +clip");
          }
          DpEnvelope envelope = dp.orElseThrow(() -> bad(spec, parts[0] + NEEDS_DP));
          double p = parts.length > 1 ? number(spec, parts[1]) : DpBoundedMean.DEFAULT_FALSE_REJECT;
          combiner =
              parts[0].equals(DP_BOUNDED)
                  ? new DpBoundedMean(envelope, p)
                  : new DpEvidence(envelope, p);
        }
        default -> throw bad(spec, "unknown strategy '" + parts[0] + "'");
      }
      if (clip != null) {
        combiner = new NormClipping(combiner, clip);
      }
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("bad aggregation strategy")) {
        throw e;
      }
      throw bad(spec, e.getMessage());
    }
    String name =
        switch (parts[0]) {
          case "fedavg", "fedavgm", "fedadam" -> parts[0] + (clip == null ? "" : "+clip:" + clip);
          default -> combiner.name();
        };
    return new StrategyAggregator(name, combiner, optimizer, parallel);
  }

  private static void arity(String spec, String[] parts, int min, int max) {
    if (parts.length < min || parts.length > max) {
      throw bad(
          spec,
          parts[0]
              + (min == max && min == 1
                  ? " takes no argument"
                  : " takes " + (min - 1) + " to " + (max - 1) + " ':'-separated arguments"));
    }
  }

  private static double number(String spec, String text) {
    try {
      return SpecNumbers.finite(text);
    } catch (IllegalArgumentException e) {
      throw bad(spec, e.getMessage());
    }
  }

  private static OptionalInt integer(String spec, String text) {
    try {
      return OptionalInt.of(Integer.parseInt(text));
    } catch (NumberFormatException e) {
      throw bad(spec, "'" + text + "' is not an integer");
    }
  }

  private static IllegalArgumentException bad(String spec, String why) {
    return new IllegalArgumentException(
        "bad aggregation strategy '" + spec + "': " + why + "; valid: " + VALID);
  }
}
