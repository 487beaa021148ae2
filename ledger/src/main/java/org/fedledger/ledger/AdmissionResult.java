package org.fedledger.ledger;

import java.util.Objects;
import org.fedledger.core.tx.TxRejection;

/**
 * The mempool's verdict on a transaction against committed state.
 *
 * @param rejection why it was refused, or null when admitted
 * @param message what was wrong and what to do; empty when admitted
 */
public record AdmissionResult(TxRejection rejection, String message) {
  private static final AdmissionResult OK = new AdmissionResult(null, "");

  public AdmissionResult {
    Objects.requireNonNull(message, "message");
  }

  public static AdmissionResult ok() {
    return OK;
  }

  public static AdmissionResult reject(TxRejection rejection, String message) {
    return new AdmissionResult(Objects.requireNonNull(rejection, "rejection"), message);
  }

  public boolean isOk() {
    return rejection == null;
  }
}
