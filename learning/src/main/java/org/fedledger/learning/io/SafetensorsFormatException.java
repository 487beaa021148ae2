package org.fedledger.learning.io;

/**
 * Bytes that are not a valid safetensors file of float32 tensors; the message says what is wrong.
 */
public final class SafetensorsFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public SafetensorsFormatException(String message) {
    super(message);
  }

  public SafetensorsFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
