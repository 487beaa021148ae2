package org.fedledger.learning.data.schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A feature's missing-value rule. JSON: {@code {"rule":"refuse"}}, {@code {"rule":"mean"}} or
 * {@code {"rule":"constant","value":"0"}}.
 *
 * @param rule refuse, or fill by mean or constant
 * @param value the constant, as text (a number for a numeric feature, a vocabulary word for a
 *     categorical one); absent for the other rules. Text rather than a JSON number so that the
 *     schema's canonical encoding, and so its hash, has one spelling of each value.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Missing(MissingRule rule, String value) {
  /** Refuse missing values: the default. */
  public static final Missing REFUSE = new Missing(MissingRule.REFUSE, null);

  /** Fill a numeric feature with its mean. */
  public static final Missing MEAN = new Missing(MissingRule.MEAN, null);

  public Missing {
    if (rule == null) {
      throw new IllegalArgumentException(
          "a missing-value rule needs \"rule\": refuse, mean or constant");
    }
    if (rule == MissingRule.CONSTANT && (value == null || value.isBlank())) {
      throw new IllegalArgumentException(
          "the constant missing-value rule needs a \"value\", e.g. {\"rule\":\"constant\",\"value\":\"0\"}");
    }
    if (rule != MissingRule.CONSTANT && value != null) {
      throw new IllegalArgumentException(
          "only the constant missing-value rule takes a \"value\"; rule " + rule + " has " + value);
    }
  }

  /** Fill with the given constant. */
  public static Missing constant(String value) {
    return new Missing(MissingRule.CONSTANT, value);
  }
}
