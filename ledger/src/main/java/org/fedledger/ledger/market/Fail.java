package org.fedledger.ledger.market;

import org.fedledger.core.tx.TxRejection;
import org.fedledger.ledger.module.TxFailedException;

/** Builds the rejections market messages fail with. */
final class Fail {
  private Fail() {}

  static TxFailedException invalid(String message) {
    return new TxFailedException(TxRejection.INVALID_MESSAGE, message);
  }

  static TxFailedException unauthorized(String message) {
    return new TxFailedException(TxRejection.UNAUTHORIZED, message);
  }
}
