package org.fedledger.learning.train;

import java.util.Locale;
import org.fedledger.learning.spec.SpecNumbers;

/**
 * How the local learning rate changes over a federation's rounds. Under label skew every owner's
 * local steps pull the model towards its own classes; a rate that shrinks in the later rounds makes
 * those pulls shorter, so the average of the owners' models drifts less from the pooled optimum.
 * Grammar:
 *
 * <ul>
 *   <li>{@code constant} — the base rate every round;
 *   <li>{@code exp:G} — {@code base · G^(round − 1)}, with 0 &lt; G ≤ 1;
 *   <li>{@code cosine[:F]} — from {@code base} in round 1 down to {@code F · base} in the last
 *       round along half a cosine, with 0 ≤ F ≤ 1 (default 0).
 * </ul>
 *
 * A rate is computed in double with {@link StrictMath}, so every machine gets the same float rate
 * and a run is repeatable bit for bit.
 */
public final class LearningRateSchedule {
  public static final String VALID = "constant, exp:G (0 < G <= 1), cosine[:F] (0 <= F <= 1)";

  /** The base rate every round. */
  public static final LearningRateSchedule CONSTANT =
      new LearningRateSchedule("constant", Kind.CONSTANT, 1);

  private enum Kind {
    CONSTANT,
    EXPONENTIAL,
    COSINE
  }

  private final Kind kind;
  private final double parameter;
  private final String spec;

  private LearningRateSchedule(String spec, Kind kind, double parameter) {
    this.spec = spec;
    this.kind = kind;
    this.parameter = parameter;
  }

  /**
   * Parses a schedule spec (see the class comment).
   *
   * @throws IllegalArgumentException naming what is wrong and the valid forms
   */
  public static LearningRateSchedule parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw bad(spec, "it is empty");
    }
    String s = spec.trim().toLowerCase(Locale.ROOT);
    String[] parts = s.split(":", -1);
    switch (parts[0]) {
      case "constant":
        if (parts.length != 1) {
          throw bad(spec, "constant takes no argument");
        }
        return CONSTANT;
      case "exp":
        {
          if (parts.length != 2) {
            throw bad(spec, "exp takes one argument, the factor per round");
          }
          double gamma = number(spec, parts[1]);
          if (!(gamma > 0 && gamma <= 1)) {
            throw bad(spec, "the factor per round must be in (0, 1], got " + parts[1]);
          }
          return new LearningRateSchedule("exp:" + gamma, Kind.EXPONENTIAL, gamma);
        }
      case "cosine":
        {
          if (parts.length > 2) {
            throw bad(spec, "cosine takes at most one argument, the final fraction of the rate");
          }
          double floor = parts.length == 2 ? number(spec, parts[1]) : 0;
          if (!(floor >= 0 && floor <= 1)) {
            throw bad(spec, "the final fraction must be in [0, 1], got " + parts[1]);
          }
          return new LearningRateSchedule("cosine:" + floor, Kind.COSINE, floor);
        }
      default:
        throw bad(spec, "unknown schedule '" + parts[0] + "'");
    }
  }

  /**
   * The rate for round (1-based) of rounds.
   *
   * @throws IllegalArgumentException if round is not in [1, rounds] or base is not positive
   */
  public float rate(double base, int round, int rounds) {
    if (!(base > 0) || Double.isInfinite(base)) {
      throw new IllegalArgumentException("learning rate must be positive, got " + base);
    }
    if (round < 1 || round > rounds) {
      throw new IllegalArgumentException("round " + round + " is not in 1.." + rounds);
    }
    double factor =
        switch (kind) {
          case CONSTANT -> 1;
          case EXPONENTIAL -> StrictMath.pow(parameter, round - 1);
          case COSINE ->
              rounds == 1
                  ? 1
                  : parameter
                      + (1 - parameter)
                          * 0.5
                          * (1 + StrictMath.cos(StrictMath.PI * (round - 1) / (rounds - 1)));
        };
    float rate = (float) (base * factor);
    // A rate that underflows to zero would silently stop training: keep the smallest positive.
    return rate > 0 ? rate : Float.MIN_NORMAL;
  }

  public boolean isConstant() {
    return kind == Kind.CONSTANT;
  }

  /** The canonical spec, e.g. {@code exp:0.97} or {@code cosine:0.1}. */
  @Override
  public String toString() {
    return spec;
  }

  private static double number(String spec, String text) {
    try {
      return SpecNumbers.finite(text);
    } catch (IllegalArgumentException e) {
      throw bad(spec, e.getMessage());
    }
  }

  private static IllegalArgumentException bad(String spec, String why) {
    return new IllegalArgumentException(
        "bad learning-rate schedule '" + spec + "': " + why + "; valid: " + VALID);
  }
}
