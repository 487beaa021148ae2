package org.fedledger.ledger;

import java.util.Optional;
import org.fedledger.core.tx.DecodedTransaction;
import org.fedledger.core.tx.TxRejection;
import org.fedledger.ledger.bank.BankModule;
import org.fedledger.ledger.chain.ChainStore;
import org.fedledger.ledger.chain.TxLocation;
import org.fedledger.ledger.execution.Accounts;
import org.fedledger.ledger.execution.VerifiedCache;
import org.fedledger.ledger.module.ModuleRegistry;
import org.fedledger.ledger.module.QueryContext;
import org.fedledger.ledger.module.TxFailedException;
import org.fedledger.ledger.state.WorldState;
import org.fedledger.ledger.validators.ValidatorsModule;

/**
 * The mempool's admission rules, behind {@link Ledger#checkTransaction}, cheapest first so that
 * junk costs a node as little as possible: the chain id; then, under the ledger's state lock, the
 * reads of committed state (duplicate, nonce window, a funded sender, a payload of the declared
 * message without unknown fields, the message's own check); the signature, the dearest check by
 * far, last and outside the lock.
 *
 * <p><b>Funded senders.</b> A sender must hold at least {@code minSenderBalance} or be a validator
 * or the genesis admin (validators submit rounds' commits and attestations, the admin changes the
 * validator set; neither needs tokens). Transactions carry no fee, so without this rule any fresh
 * key pair could fill the pool; with it, each flooding key must first be funded by a transaction of
 * someone who holds tokens, and the pool's per-sender caps bound what one key can hold. This is
 * admission only: a block's execution does not depend on it.
 */
final class TransactionAdmission {
  private final String chainId;
  private final int nonceWindow;
  private final VerifiedCache verifiedCache;
  private final Accounts accounts;
  private final WorldState state;
  private final ChainStore chain;
  private final ModuleRegistry registry;
  private final BankModule bank;
  private final ValidatorsModule validators;
  private final long minSenderBalance;

  TransactionAdmission(
      String chainId,
      int nonceWindow,
      VerifiedCache verifiedCache,
      Accounts accounts,
      WorldState state,
      ChainStore chain,
      ModuleRegistry registry,
      BankModule bank,
      ValidatorsModule validators,
      long minSenderBalance) {
    this.chainId = chainId;
    this.nonceWindow = nonceWindow;
    this.verifiedCache = verifiedCache;
    this.accounts = accounts;
    this.state = state;
    this.chain = chain;
    this.registry = registry;
    this.bank = bank;
    this.validators = validators;
    this.minSenderBalance = minSenderBalance;
  }

  /** The rejection by the check that needs nothing: a transaction for another chain. */
  Optional<AdmissionResult> checkChain(DecodedTransaction tx) {
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
    return Optional.empty();
  }

  /**
   * The rejection for a bad signature, if any; runs after the state checks, outside the lock. A
   * valid signature is remembered, so applying the block does not verify it again.
   */
  Optional<AdmissionResult> checkSignature(DecodedTransaction tx) {
    if (!verifiedCache.contains(tx.hash())) {
      if (!tx.hasValidSignature()) {
        return Optional.of(
            AdmissionResult.reject(
                TxRejection.BAD_SIGNATURE,
                "signature does not verify under sender_public_key: "
                    + tx.whySignatureInvalid()
                    + "; sign the exact body bytes with the key's RFC 8032 Ed25519"));
      }
      verifiedCache.add(tx.hash());
    }
    return Optional.empty();
  }

  /**
   * The checks against committed state; the caller holds the state lock: not already included,
   * nonce in [account nonce, account nonce + window), a funded sender, known module and message, a
   * payload that decodes without unknown fields, and the message's own check.
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
    QueryContext ctx = new QueryContext(state);
    if (minSenderBalance > 0
        && bank.balance(ctx, tx.senderAddress()) < minSenderBalance
        && !validators.isAdminOrValidator(ctx, tx.sender())) {
      return AdmissionResult.reject(
          TxRejection.INSUFFICIENT_BALANCE,
          "the sender holds "
              + bank.balance(ctx, tx.senderAddress())
              + " and is neither a validator nor the admin; this node admits transactions only from senders holding at"
              + " least "
              + minSenderBalance
              + ": fund the account first");
    }
    try {
      registry
          .route(tx.body().getModule(), tx.body().getMessageType(), tx.body().getPayload())
          .checkAdmission(tx.senderAddress(), ctx);
    } catch (TxFailedException e) {
      return AdmissionResult.reject(e.reason(), e.getMessage());
    }
    return AdmissionResult.ok();
  }
}
