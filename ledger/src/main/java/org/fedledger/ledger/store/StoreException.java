package org.fedledger.ledger.store;

/** The store failed (disk full, corruption, lock held by another process); not recoverable here. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
