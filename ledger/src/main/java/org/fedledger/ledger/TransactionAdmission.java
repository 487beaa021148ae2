package org.fedledger.ledger;

import java.util.Optional;
import org.fedledger.core.tx.DecodedTransaction;
import org.fedledger.core.tx.TxRejection;
import org.fedledger.ledger.chain.ChainStore;
import org.fedledger.ledger.chain.TxLocation;
import org.fedledger.ledger.execution.Accounts;
import org.fedledger.ledger.execution.VerifiedCache;
import org.fedledger.ledger.module.ModuleRegistry;
import org.fedledger.ledger.module.QueryContext;
import org.fedledger.ledger.module.TxFailedException;
import org.fedledger.ledger.state.WorldState;

/**
 * The mempool's admission rules, behind {@link Ledger#checkTransaction}: checks that need no state
 * (chain, signature) apart from those that read committed state (duplicate, nonce window, the
 * message's own check), so the ledger holds its state lock only for the second.
 */
final class TransactionAdmission {
  private final String chainId;
  private final int nonceWindow;
  private final VerifiedCache verifiedCache;
  private final Accounts accounts;
  private final WorldState state;
  private final ChainStore chain;
  private final ModuleRegistry registry;

  TransactionAdmission(
      String chainId,
      int nonceWindow,
      VerifiedCache verifiedCache,
      Accounts accounts,
      WorldState state,
      ChainStore chain,
      ModuleRegistry registry) {
    this.chainId = chainId;
    this.nonceWindow = nonceWindow;
    this.verifiedCache = verifiedCache;
    this.accounts = accounts;
    this.state = state;
    this.chain = chain;
    this.registry = registry;
  }

  /**
   * The rejection by a check that needs no state, if any: wrong chain or bad signature. A valid
   * signature is remembered, so applying the block does not verify it again.
   */
  Optional<AdmissionResult> checkStateless(DecodedTransaction tx) {
    if (!chainId.equals(tx.body().getChainId())) {
      return Optional.of(
          AdmissionResult.reject(
              TxRejection.WRONG_CHAIN,
              "transaction is for chain '"
                  + tx.body().getChainId()
                  + "', this node serves '"
                  + chainId
                  + "'"));
    }
    if (!verifiedCache.contains(tx.hash())) {
      if (!tx.hasValidSignature()) {
        return Optional.of(
            AdmissionResult.reject(
                TxRejection.BAD_SIGNATURE,
                "signature does not verify under sender_public_key; sign the exact body bytes"));
      }
      verifiedCache.add(tx.hash());
    }
    return Optional.empty();
  }

  /**
   * The checks against committed state; the caller holds the state lock: not already included,
   * nonce in [account nonce, account nonce + window), known module and message, decodable payload,
   * and the message's own check.
   */
  AdmissionResult checkAgainstState(DecodedTransaction tx) {
    long nonce = accounts.nonce(state, tx.senderAddress());
    long txNonce = tx.body().getNonce();
    if (txNonce < nonce) {
      // Only a nonce below the account's can belong to an included transaction that
      // consumed it, so only then is the transaction index worth a read.
      Optional<TxLocation> included = chain.txLocation(tx.hash());
      if (included.isPresent() && included.get().consumedNonce()) {
        return AdmissionResult.reject(
            TxRejection.DUPLICATE,
            "transaction is already included at height " + included.get().height());
      }
    }
    if (txNonce < nonce || txNonce - nonce >= nonceWindow) {
      return AdmissionResult.reject(
          TxRejection.BAD_NONCE,
          "account nonce is "
              + nonce
              + "; a transaction's nonce must be in ["
              + nonce
              + ", "
              + (nonce + nonceWindow)
              + "), got "
              + Long.toUnsignedString(txNonce));
    }
    try {
      registry
          .route(tx.body().getModule(), tx.body().getMessageType(), tx.body().getPayload())
          .checkAdmission(tx.senderAddress(), new QueryContext(state));
    } catch (TxFailedException e) {
      return AdmissionResult.reject(e.reason(), e.getMessage());
    }
    return AdmissionResult.ok();
  }
}
