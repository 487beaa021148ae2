package org.fedledger.learning.data.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One input column of a table.
 *
 * @param name the column's header name
 * @param type numeric or categorical
 * @param categories a categorical feature's vocabulary, in one-hot order; empty for numeric ones
 * @param missing what to do with a missing value; refuse when absent
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record FeatureSpec(String name, FeatureType type, List<String> categories, Missing missing) {
  public FeatureSpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a feature needs a \"name\" (its column header)");
    }
    if (type == null) {
      throw new IllegalArgumentException(
          "feature '" + name + "' needs a \"type\": numeric or categorical");
    }
    categories = categories == null ? List.of() : List.copyOf(categories);
    missing = missing == null ? Missing.REFUSE : missing;
    if (type == FeatureType.NUMERIC) {
      if (!categories.isEmpty()) {
        throw new IllegalArgumentException(
            "numeric feature '" + name + "' has categories; remove them or make it categorical");
      }
      if (missing.rule() == MissingRule.CONSTANT) {
        parseConstant(name, missing.value());
      }
    } else {
      if (categories.isEmpty()) {
        throw new IllegalArgumentException(
            "categorical feature '" + name + "' needs its \"categories\" (the vocabulary)");
      }
      Set<String> seen = new HashSet<>();
      for (String c : categories) {
        if (c == null || c.isEmpty() || !seen.add(c)) {
          throw new IllegalArgumentException(
              "categorical feature '"
                  + name
                  + "' has an empty or repeated category '"
                  + c
                  + "'; each word of the vocabulary must appear once");
        }
      }
      if (missing.rule() == MissingRule.MEAN) {
        throw new IllegalArgumentException(
            "categorical feature '"
                + name
                + "' cannot fill missing values with a mean; use refuse or a constant category");
      }
      if (missing.rule() == MissingRule.CONSTANT && !categories.contains(missing.value())) {
        throw new IllegalArgumentException(
            "categorical feature '"
                + name
                + "' fills missing values with '"
                + missing.value()
                + "', which is not one of its categories "
                + categories);
      }
    }
  }

  /** A numeric feature that refuses missing values. */
  public static FeatureSpec numeric(String name) {
    return new FeatureSpec(name, FeatureType.NUMERIC, List.of(), Missing.REFUSE);
  }

  /** A categorical feature with the given vocabulary that refuses missing values. */
  public static FeatureSpec categorical(String name, List<String> categories) {
    return new FeatureSpec(name, FeatureType.CATEGORICAL, categories, Missing.REFUSE);
  }

  /** This feature with another missing-value rule. */
  public FeatureSpec withMissing(Missing rule) {
    return new FeatureSpec(name, type, categories, rule);
  }

  /** Number of model inputs this column becomes: 1, or the vocabulary size when one-hot. */
  public int width() {
    return type == FeatureType.NUMERIC ? 1 : categories.size();
  }

  /** A numeric feature's constant fill value. */
  public float constantValue() {
    return parseConstant(name, missing.value());
  }

  private static float parseConstant(String name, String value) {
    float v;
    try {
      v = Float.parseFloat(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "numeric feature '" + name + "' fills missing values with '" + value + "', not a number",
          e);
    }
    if (!Float.isFinite(v)) {
      throw new IllegalArgumentException(
          "numeric feature '" + name + "' fills missing values with a non-finite " + value);
    }
    return v;
  }
}
