package org.fedledger.ledger.module;

import java.util.Objects;
import org.fedledger.core.tx.TxRejection;

/**
 * A business failure of a message: the transaction gets a FAILED receipt with this reason, its
 * state changes are dropped, and only its sender's nonce advances. Thrown by handlers and by
 * admission checks (where it becomes the mempool's rejection).
 */
public final class TxFailedException extends Exception {
  private final TxRejection reason;

  public TxFailedException(TxRejection reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public TxRejection reason() {
    return reason;
  }
}
