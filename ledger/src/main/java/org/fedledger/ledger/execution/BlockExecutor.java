package org.fedledger.ledger.execution;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.BlockProposal;
import org.fedledger.core.proto.Event;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.tx.DecodedTransaction;
import org.fedledger.core.tx.InvalidTransactionException;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.core.tx.TxRejection;
import org.fedledger.ledger.BlockLimits;
import org.fedledger.ledger.chain.TxLocation;
import org.fedledger.ledger.module.BlockInfo;
import org.fedledger.ledger.module.ChainView;
import org.fedledger.ledger.module.EventSink;
import org.fedledger.ledger.module.ExecutionContext;
import org.fedledger.ledger.module.ModuleRegistry;
import org.fedledger.ledger.module.TxFailedException;
import org.fedledger.ledger.state.StateOverlay;
import org.fedledger.ledger.state.StateReader;
import org.fedledger.ledger.store.StoreException;
import org.fedledger.ledger.validators.ValidatorsModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes a proposal's state-root votes and transactions in order over committed state. Pure given
 * its inputs: no clock, no randomness, sorted maps only.
 *
 * <p>Per transaction, in this order:
 *
 * <ol>
 *   <li>past the genesis' block limits (the block's first transactions that fit count; the rest do
 *       not) → FAILED "BLOCK_LIMIT", nothing changes, not even the nonce;
 *   <li>already included with its nonce consumed (earlier block or earlier in this block) → FAILED
 *       "DUPLICATE", nothing changes;
 *   <li>malformed, bad signature, wrong chain id, nonce ≠ account nonce → FAILED with that reason,
 *       nothing changes, not even the nonce;
 *   <li>otherwise the nonce advances, and the message runs in its own overlay: unknown module or
 *       message, undecodable payload, or a handler's {@link TxFailedException} → FAILED with the
 *       reason, the overlay is dropped; success → OK, the overlay is merged.
 * </ol>
 */
public final class BlockExecutor {
  private static final Logger log = LoggerFactory.getLogger(BlockExecutor.class);

  /** The receipt's error when a handler throws something other than a refusal: a bug of ours. */
  public static final String HANDLER_FAILED =
      "INTERNAL_ERROR: the module's handler failed; the validators' logs carry the cause";

  /** The receipt's error for a transaction past the block limits. */
  public static final String OVER_BLOCK_LIMIT =
      TxRejection.BLOCK_LIMIT
          + ": the block holds more transactions or bytes than the genesis allows; the rest of"
          + " it is not executed";

  private final String chainId;
  private final BlockLimits limits;
  private final ModuleRegistry registry;
  private final ValidatorsModule validators;
  private final Accounts accounts;
  private final SignatureVerifier verifier;

  public BlockExecutor(
      String chainId,
      BlockLimits limits,
      ModuleRegistry registry,
      ValidatorsModule validators,
      Accounts accounts,
      SignatureVerifier verifier) {
    this.chainId = chainId;
    this.limits = limits;
    this.registry = registry;
    this.validators = validators;
    this.accounts = accounts;
    this.verifier = verifier;
  }

  /**
   * Executes proposal as block info.height() on top of committed state.
   *
   * @param index the committed transaction index
   */
  public ExecutedBlock execute(
      BlockProposal proposal,
      BlockInfo info,
      StateReader committed,
      ChainView chain,
      Function<Hash, Optional<TxLocation>> index) {
    StateOverlay block = new StateOverlay(committed);
    EventSink blockEvents = new EventSink();
    validators.processVotes(
        proposal.getStateRootVotesList(),
        chainId,
        new ExecutionContext(info, null, null, null, block, blockEvents, chain));

    int n = proposal.getTransactionsCount();
    int withinLimits = withinLimits(proposal);
    List<DecodedTransaction> decoded = new ArrayList<>(Collections.nCopies(n, null));
    String[] malformed = new String[n];
    for (int i = 0; i < n; i++) {
      try {
        decoded.set(i, TransactionCodec.decode(proposal.getTransactions(i)));
      } catch (InvalidTransactionException e) {
        malformed[i] = e.reason() + ": " + e.getMessage();
      }
    }
    boolean[] signatureValid = verifier.verify(decoded);

    List<Hash> hashes = new ArrayList<>(n);
    List<Receipt> receipts = new ArrayList<>(n);
    TreeMap<Hash, TxLocation> newIndex = new TreeMap<>();
    boolean validatorSetChanged = false;
    for (int i = 0; i < n; i++) {
      SignedTransaction signed = proposal.getTransactions(i);
      DecodedTransaction tx = decoded.get(i);
      Hash hash = tx != null ? tx.hash() : TransactionCodec.hashOf(signed);
      hashes.add(hash);
      Receipt.Builder receipt =
          Receipt.newBuilder().setTxHash(hash.toByteString()).setHeight(info.height()).setIndex(i);

      TxLocation earlier = newIndex.get(hash);
      if (earlier == null && mayHaveConsumedItsNonce(tx, block)) {
        earlier = index.apply(hash).orElse(null);
      }
      String failure;
      boolean consumed = false;
      if (i >= withinLimits) {
        failure = OVER_BLOCK_LIMIT;
      } else if (earlier != null && earlier.consumedNonce()) {
        failure =
            TxRejection.DUPLICATE
                + ": already included at height "
                + earlier.height()
                + ", index "
                + earlier.index();
      } else if (tx == null) {
        failure = malformed[i];
      } else {
        failure = precheck(tx, signatureValid[i], block);
        if (failure == null) {
          consumed = true;
          Outcome outcome = run(tx, info, block, chain);
          failure = outcome.failure;
          if (failure == null) {
            receipt.addAllEvents(outcome.events);
            validatorSetChanged |= changesValidatorSet(outcome.events);
          }
          accounts.setNonce(block, tx.senderAddress(), tx.body().getNonce() + 1);
        }
      }
      if (failure == null) {
        receipt.setStatus(ReceiptStatus.OK);
      } else {
        receipt.setStatus(ReceiptStatus.FAILED).setError(failure);
      }
      receipts.add(receipt.build());
      if (earlier == null || !earlier.consumedNonce()) {
        newIndex.put(hash, new TxLocation(info.height(), i, consumed));
      }
    }
    return new ExecutedBlock(
        info, block, hashes, receipts, blockEvents.events(), newIndex, validatorSetChanged);
  }

  /** How many of the block's first transactions fit within the limits. */
  private int withinLimits(BlockProposal proposal) {
    int n = Math.min(proposal.getTransactionsCount(), limits.maxTransactions());
    long bytes = 0;
    for (int i = 0; i < n; i++) {
      bytes += proposal.getTransactions(i).getSerializedSize();
      if (bytes > limits.maxBytes()) {
        return i;
      }
    }
    return n;
  }

  /**
   * False when the transaction's nonce is not below its sender's: then no earlier block can have
   * included it with its nonce consumed (nonces only grow, and inclusion consumes exactly the
   * account's nonce), and the committed index need not be read. Only the index entries that
   * consumed a nonce decide anything, so skipping the read changes no receipt and no index entry.
   */
  private boolean mayHaveConsumedItsNonce(DecodedTransaction tx, StateReader state) {
    return tx == null || tx.body().getNonce() < accounts.nonce(state, tx.senderAddress());
  }

  /** Checks whose failure changes nothing; null if the transaction may run. */
  private String precheck(DecodedTransaction tx, boolean signatureValid, StateReader state) {
    if (!signatureValid) {
      return TxRejection.BAD_SIGNATURE + ": signature does not verify under the sender's key";
    }
    if (!chainId.equals(tx.body().getChainId())) {
      return TxRejection.WRONG_CHAIN
          + ": transaction is for chain '"
          + tx.body().getChainId()
          + "', this is '"
          + chainId
          + "'";
    }
    long expected = accounts.nonce(state, tx.senderAddress());
    if (tx.body().getNonce() != expected) {
      return TxRejection.BAD_NONCE
          + ": account "
          + tx.senderAddress()
          + " expects nonce "
          + expected
          + ", transaction has "
          + Long.toUnsignedString(tx.body().getNonce());
    }
    return null;
  }

  private record Outcome(String failure, List<Event> events) {}

  private Outcome run(DecodedTransaction tx, BlockInfo info, StateOverlay block, ChainView chain) {
    StateOverlay txState = new StateOverlay(block);
    EventSink events = new EventSink();
    ExecutionContext ctx =
        new ExecutionContext(
            info, tx.sender(), tx.senderAddress(), tx.hash(), txState, events, chain);
    try {
      registry
          .route(tx.body().getModule(), tx.body().getMessageType(), tx.body().getPayload())
          .execute(ctx);
    } catch (TxFailedException e) {
      return new Outcome(e.reason() + ": " + e.getMessage(), List.of());
    } catch (StoreException e) {
      // The disk, not the transaction: never turn it into a receipt, or this node diverges.
      throw e;
    } catch (RuntimeException e) {
      // A handler bug. Deterministic code fails the same way on every node, so failing the
      // transaction keeps nodes in agreement where crashing would halt the chain. The receipt
      // carries a fixed text: the exception's own message can differ between JDKs (helpful
      // NullPointerException messages, for one) and would split the receipts root. The cause
      // goes to this node's log.
      log.warn("handler of {}/{} threw", tx.body().getModule(), tx.body().getMessageType(), e);
      return new Outcome(HANDLER_FAILED, List.of());
    }
    txState.mergeInto(block);
    return new Outcome(null, events.events());
  }

  private static boolean changesValidatorSet(List<Event> events) {
    for (Event e : events) {
      if (ValidatorsModule.NAME.equals(e.getModule())
          && (ValidatorsModule.EVENT_ADDED.equals(e.getType())
              || ValidatorsModule.EVENT_REMOVED.equals(e.getType()))) {
        return true;
      }
    }
    return false;
  }

  /** The address in a proposal's proposer field, or null if it is not 20 bytes. */
  public static Address proposerOf(BlockProposal proposal) {
    return proposal.getProposer().size() == Address.LENGTH
        ? Address.of(proposal.getProposer())
        : null;
  }
}
