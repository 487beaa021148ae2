package org.fedledger.learning.spec;

/** The numbers inside option specs such as {@code trimmed-mean:0.2} or {@code cosine:0.1}. */
public final class SpecNumbers {
  private SpecNumbers() {}

  /**
   * text as a finite double.
   *
   * @throws IllegalArgumentException saying why ("'x' is not a number", "... not a finite number"),
   *     for the caller to put in its own message about the whole spec
   */
  public static double finite(String text) {
    double d;
    try {
      d = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a number", e);
    }
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException("'" + text + "' is not a finite number");
    }
    return d;
  }
}
