package org.fedledger.core.tx;

/** A transaction that cannot be admitted, with a machine-readable reason and a clear message. */
public final class InvalidTransactionException extends Exception {
  private final TxRejection reason;

  public InvalidTransactionException(TxRejection reason, String message) {
    super(message);
    this.reason = reason;
  }

  public TxRejection reason() {
    return reason;
  }
}
