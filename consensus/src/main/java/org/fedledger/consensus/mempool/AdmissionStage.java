package org.fedledger.consensus.mempool;

import java.util.function.Predicate;
import org.fedledger.consensus.app.Admission;
import org.fedledger.consensus.app.Application;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.tx.DecodedTransaction;
import org.fedledger.core.tx.InvalidTransactionException;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.core.tx.TxRejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mempool's parallel stage: size, decoding, a duplicate of a held transaction, and the
 * application's check (which orders its own checks cheapest first, the signature last). Runs on any
 * thread, without the pool's lock.
 */
final class AdmissionStage {
  private static final Logger LOG = LoggerFactory.getLogger(AdmissionStage.class);

  private final Application app;
  private final MempoolConfig config;
  private final Predicate<Hash> isHeld;

  AdmissionStage(Application app, MempoolConfig config, Predicate<Hash> isHeld) {
    this.app = app;
    this.config = config;
    this.isHeld = isHeld;
  }

  /** The stateless and committed-state checks; runs on any thread, without the lock. */
  Checked check(byte[] encoded) {
    if (encoded != null && encoded.length > config.maxTxBytes()) {
      return Checked.rejected(
          null,
          TxRejection.OVERSIZE,
          "transaction is "
              + encoded.length
              + " bytes; this node accepts at most "
              + config.maxTxBytes());
    }
    DecodedTransaction tx;
    try {
      tx = TransactionCodec.decode(encoded);
    } catch (InvalidTransactionException e) {
      return Checked.rejected(null, e.reason(), e.getMessage());
    }
    if (isHeld.test(tx.hash())) {
      return Checked.rejected(
          tx.hash(), TxRejection.DUPLICATE, "transaction " + tx.hash() + " is already pending");
    }
    Admission verdict;
    try {
      verdict = app.checkTransaction(tx);
    } catch (RuntimeException e) {
      // The application promises results, not exceptions; if it breaks that promise the
      // transaction is refused rather than the whole batch failing.
      LOG.warn("application check of {} threw; refusing the transaction", tx.hash(), e);
      return Checked.rejected(
          tx.hash(), TxRejection.INVALID_MESSAGE, "the transaction could not be checked: " + e);
    }
    if (!verdict.accepted()) {
      return Checked.rejected(tx.hash(), verdict.rejection(), verdict.message());
    }
    return new Checked(tx, null);
  }

  /** A decoded transaction that passed, or the result of its refusal. */
  record Checked(DecodedTransaction tx, SubmitResult result) {
    static Checked rejected(Hash hash, TxRejection rejection, String message) {
      return new Checked(null, SubmitResult.rejected(hash, rejection, message));
    }
  }
}
