package org.fedledger.learning.data.schema;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What the model predicts. */
public enum Task {
  /** One class out of the schema's class names. */
  @JsonProperty("classification")
  CLASSIFICATION,
  /** One or more real numbers, the schema's output columns. */
  @JsonProperty("regression")
  REGRESSION;

  /** Parses the command-line and JSON name, saying what is allowed when it is neither. */
  public static Task parse(String name) {
    for (Task t : values()) {
      if (t.name().equalsIgnoreCase(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown task '" + name + "'; use classification or regression");
  }
}
