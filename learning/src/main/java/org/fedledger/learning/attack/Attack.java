package org.fedledger.learning.attack;

import java.util.Locale;
import org.fedledger.learning.tensor.Weights;

/**
 * What a malicious client does. Each attack may poison the labels it trains on, the delta it sends,
 * or both; the defaults leave them alone.
 */
public interface Attack {
  String VALID =
      "none, label-flip, sign-flip[:SCALE], scale:S, noise:SIGMA (SCALE, S and SIGMA positive)";

  /** Canonical spec, parseable by {@link #parse(String)}. */
  String name();

  /** The labels the malicious client trains on instead of its true labels (a new array). */
  default int[] poisonLabels(int[] labels, int classCount) {
    return labels;
  }

  /** The delta the malicious client sends instead of its honest one. */
  default Weights poisonUpdate(Weights delta, long seed) {
    return delta;
  }

  /** Parses {@code none|label-flip|sign-flip[:SCALE]|scale:S|noise:SIGMA}. */
  static Attack parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("empty attack; valid: " + VALID);
    }
    String s = spec.trim().toLowerCase(Locale.ROOT);
    String[] parts = s.split(":", -1);
    try {
      switch (parts[0]) {
        case "none":
          arity(parts, 1);
          return NoAttack.INSTANCE;
        case "label-flip":
          arity(parts, 1);
          return new LabelFlip();
        case "sign-flip":
          if (parts.length > 2) {
            throw new IllegalArgumentException("sign-flip takes at most one argument");
          }
          return new SignFlip(parts.length == 2 ? number(parts[1]) : 1.0);
        case "scale":
          arity(parts, 2);
          return new ScaledUpdate(number(parts[1]));
        case "noise":
          arity(parts, 2);
          return new GaussianNoise(number(parts[1]));
        default:
          throw new IllegalArgumentException("unknown attack '" + parts[0] + "'");
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "bad attack '" + spec + "': " + e.getMessage() + "; valid: " + VALID, e);
    }
  }

  private static void arity(String[] parts, int n) {
    if (parts.length != n) {
      throw new IllegalArgumentException(
          parts[0] + (n == 1 ? " takes no argument" : " takes exactly one argument"));
    }
  }

  private static double number(String text) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a number", e);
    }
  }
}
