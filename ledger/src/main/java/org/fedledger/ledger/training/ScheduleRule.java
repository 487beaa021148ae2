package org.fedledger.ledger.training;

import java.util.Optional;

/**
 * Which learning-rate schedules a job may carry ({@code CreateJob.learning_rate_schedule}): the
 * forms of learning's {@code LearningRateSchedule}, written canonically and checked character by
 * character, as contracts use no floats.
 *
 * <ul>
 *   <li>empty or {@code constant};
 *   <li>{@code exp:G} with 0 &lt; G ≤ 1;
 *   <li>{@code cosine} or {@code cosine:F} with 0 ≤ F ≤ 1;
 * </ul>
 *
 * where G and F are plain decimals ({@code 0.97}, {@code 1}, {@code 0.1}: digits, optionally a
 * point and more digits; no sign, exponent or spaces), in lowercase, at most {@link #MAX_CHARS}
 * characters in all. Every such spec parses in learning to the same schedule on every machine (a
 * decimal of at most 32 characters neither underflows nor rounds past 1 in a double), so what the
 * chain accepts every owner can train with.
 */
public final class ScheduleRule {
  public static final int MAX_CHARS = 32;

  static final String VALID =
      "constant, exp:G (0 < G <= 1) or cosine[:F] (0 <= F <= 1), G and F plain decimals"
          + " such as 0.97, lowercase, at most "
          + MAX_CHARS
          + " characters; empty = constant";

  private ScheduleRule() {}

  /** Why spec is not a schedule the chain accepts, or empty if it is one. */
  public static Optional<String> problem(String spec) {
    if (spec.length() > MAX_CHARS) {
      return bad(spec, "it is longer than " + MAX_CHARS + " characters");
    }
    if (spec.isEmpty() || spec.equals("constant") || spec.equals("cosine")) {
      return Optional.empty();
    }
    int colon = spec.indexOf(':');
    String kind = colon < 0 ? spec : spec.substring(0, colon);
    String argument = colon < 0 ? null : spec.substring(colon + 1);
    switch (kind) {
      case "constant":
        return bad(spec, "constant takes no argument");
      case "exp":
        if (argument == null) {
          return bad(spec, "exp needs its factor per round, e.g. exp:0.97");
        }
        return range(spec, "the factor per round", argument, false);
      case "cosine":
        return range(spec, "the final fraction of the rate", argument, true);
      default:
        return bad(spec, "unknown schedule '" + kind + "'");
    }
  }

  /**
   * Checks that text is a plain decimal in [0, 1], or in (0, 1] unless zeroAllowed.
   *
   * @param what the argument's name, for the reason
   */
  private static Optional<String> range(
      String spec, String what, String text, boolean zeroAllowed) {
    Optional<String> malformed = decimalProblem(text);
    if (malformed.isPresent()) {
      return bad(spec, what + " " + malformed.get());
    }
    int point = text.indexOf('.');
    // The whole part without leading zeros: "" for 0, "1" for 1, anything else is above 1.
    String whole = (point < 0 ? text : text.substring(0, point)).replaceFirst("^0+", "");
    boolean fractionZero = point < 0 || text.substring(point + 1).chars().allMatch(c -> c == '0');
    boolean wholeZero = whole.isEmpty();
    if (!wholeZero && !(whole.equals("1") && fractionZero)) {
      return bad(spec, what + " must be at most 1, got " + text);
    }
    if (!zeroAllowed && wholeZero && fractionZero) {
      return bad(spec, what + " must be above 0, got " + text);
    }
    return Optional.empty();
  }

  /** Why text is not digits, optionally followed by a point and digits; empty if it is. */
  private static Optional<String> decimalProblem(String text) {
    if (text.isEmpty()) {
      return Optional.of("is missing after the ':'");
    }
    if (text.contains(":")) {
      return Optional.of("is one number, got '" + text + "'");
    }
    int point = text.indexOf('.');
    String whole = point < 0 ? text : text.substring(0, point);
    String fraction = point < 0 ? "0" : text.substring(point + 1);
    if (whole.isEmpty() || fraction.isEmpty() || !digits(whole) || !digits(fraction)) {
      return Optional.of(
          "must be a plain decimal such as 0.5 (digits, a point, digits), got '" + text + "'");
    }
    return Optional.empty();
  }

  private static boolean digits(String s) {
    return s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static Optional<String> bad(String spec, String why) {
    return Optional.of(
        "learning_rate_schedule '" + spec + "' is not valid: " + why + "; valid: " + VALID);
  }
}
