package org.fedledger.learning.data.schema;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What to do with a missing value (an empty field, or one of the schema's missing markers). */
public enum MissingRule {
  /** Refuse the file, naming the line and column. */
  @JsonProperty("refuse")
  REFUSE,
  /**
   * Numeric columns only: fill with the mean of the column's present values in the same file (the
   * owner's local mean; the federated standardization comes later and sees the filled values).
   */
  @JsonProperty("mean")
  MEAN,
  /** Fill with the constant the schema names (a number, or a word of the vocabulary). */
  @JsonProperty("constant")
  CONSTANT
}
