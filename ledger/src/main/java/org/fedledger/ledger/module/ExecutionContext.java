package org.fedledger.ledger.module;

import java.util.Objects;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.core.hash.Hash;
import org.fedledger.ledger.state.StateWriter;

/**
 * Everything a handler may use while executing: the block, the sender, the transaction hash, the
 * event sink, the committed chain, and state through a {@link StoreKey} it holds. Outside a
 * transaction (genesis, state-root votes) sender and txHash are null.
 */
public final class ExecutionContext {
  private final BlockInfo block;
  private final Ed25519PublicKey senderKey;
  private final Address sender;
  private final Hash txHash;
  private final StateWriter state;
  private final EventSink events;
  private final ChainView chain;

  public ExecutionContext(
      BlockInfo block,
      Ed25519PublicKey senderKey,
      Address sender,
      Hash txHash,
      StateWriter state,
      EventSink events,
      ChainView chain) {
    this.block = Objects.requireNonNull(block, "block");
    this.senderKey = senderKey;
    this.sender = sender;
    this.txHash = txHash;
    this.state = Objects.requireNonNull(state, "state");
    this.events = Objects.requireNonNull(events, "events");
    this.chain = Objects.requireNonNull(chain, "chain");
  }

  public BlockInfo block() {
    return block;
  }

  public long height() {
    return block.height();
  }

  public long timestampMillis() {
    return block.timestampMillis();
  }

  public Ed25519PublicKey senderKey() {
    return senderKey;
  }

  public Address sender() {
    return sender;
  }

  public Hash txHash() {
    return txHash;
  }

  public EventSink events() {
    return events;
  }

  public ChainView chain() {
    return chain;
  }

  /**
   * A read-only view of the same state, for reading through another module's query methods (e.g.
   * the validator set) from inside a transaction.
   */
  public QueryContext query() {
    return new QueryContext(state);
  }

  /** The state of the module holding key. */
  public ModuleStore store(StoreKey key) {
    return ModuleStore.writable(key, state);
  }
}
