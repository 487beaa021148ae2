package org.fedledger.node.blob;

/** A blob could not be stored, served or fetched; the message says why. */
public class BlobException extends Exception {
  public BlobException(String message) {
    super(message);
  }

  public BlobException(String message, Throwable cause) {
    super(message, cause);
  }
}
