package org.fedledger.consensus.app;

import java.util.Objects;
import org.fedledger.core.tx.TxRejection;

/**
 * The application's verdict on one transaction.
 *
 * @param rejection null when accepted
 * @param message why it was rejected and what to do; empty when accepted
 */
public record Admission(TxRejection rejection, String message) {
  public static final Admission ACCEPTED = new Admission(null, "");

  public Admission {
    Objects.requireNonNull(message, "message");
  }

  public static Admission rejected(TxRejection rejection, String message) {
    return new Admission(Objects.requireNonNull(rejection, "rejection"), message);
  }

  public boolean accepted() {
    return rejection == null;
  }
}
