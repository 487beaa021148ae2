package org.fedledger.learning.data;

import java.io.IOException;

/** A data file whose content is not what its format requires; the message says what and where. */
public final class DataFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public DataFormatException(String message) {
    super(message);
  }

  public DataFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
