package org.fedledger.consensus.mempool;

import java.util.Objects;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.tx.TxRejection;

/**
 * The admission verdict for one submitted transaction.
 *
 * @param txHash the transaction hash, or null when the bytes could not be decoded
 * @param rejection null when accepted
 * @param message why it was rejected and what to do; empty when accepted
 */
public record SubmitResult(Hash txHash, TxRejection rejection, String message) {

  public SubmitResult {
    Objects.requireNonNull(message, "message");
  }

  public static SubmitResult accepted(Hash txHash) {
    return new SubmitResult(Objects.requireNonNull(txHash, "txHash"), null, "");
  }

  public static SubmitResult rejected(Hash txHash, TxRejection rejection, String message) {
    return new SubmitResult(txHash, Objects.requireNonNull(rejection, "rejection"), message);
  }

  public boolean accepted() {
    return rejection == null;
  }
}
