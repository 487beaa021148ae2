package org.fedledger.learning.data.schema;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How an owner's data is stored on disk. */
public enum DataFormat {
  /** One CSV file with a header line. */
  @JsonProperty("csv")
  CSV,
  /** A directory with one sub-directory of PNG or JPEG files per class. */
  @JsonProperty("images")
  IMAGES,
  /** A directory of IDX files (MNIST layout). */
  @JsonProperty("idx")
  IDX;

  /** The JSON and command-line name. */
  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
