package org.fedledger.learning.data.schema;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a tabular column holds. */
public enum FeatureType {
  /** A finite number, used as is. */
  @JsonProperty("numeric")
  NUMERIC,
  /** A word from the feature's fixed vocabulary, one-hot encoded in vocabulary order. */
  @JsonProperty("categorical")
  CATEGORICAL
}
