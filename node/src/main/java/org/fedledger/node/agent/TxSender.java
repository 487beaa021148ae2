package org.fedledger.node.agent;

import com.google.protobuf.Message;
import java.time.Duration;
import java.util.Optional;
import org.fedledger.consensus.app.CommittedTx;
import org.fedledger.consensus.mempool.SubmitResult;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.core.tx.TxRejection;
import org.fedledger.ledger.Ledger;

/**
 * Signs and submits one key's transactions with consecutive nonces. The next nonce is tracked
 * locally (so several can be in flight) and resynchronized from the chain when the mempool refuses
 * one for its nonce, or when the chain has not caught up for a while (a transaction was lost, e.g.
 * with a leader change).
 */
public final class TxSender {
  private static final long RESYNC_NANOS = Duration.ofSeconds(8).toNanos();

  private final Ed25519KeyPair key;
  private final ChainAccess chain;
  private long next = -1;
  private long lastSend;

  public TxSender(Ed25519KeyPair key, ChainAccess chain) {
    this.key = key;
    this.chain = chain;
  }

  public Address address() {
    return key.publicKey().address();
  }

  public Ed25519KeyPair key() {
    return key;
  }

  public ChainAccess chain() {
    return chain;
  }

  /** Submits module/type with payload; returns the transaction hash once the mempool took it. */
  public synchronized Hash send(String module, String type, Message payload)
      throws TxRefusedException {
    Ledger ledger = chain.ledger();
    long onChain = ledger.account(address()).nonce();
    if (next < onChain || (next > onChain && System.nanoTime() - lastSend > RESYNC_NANOS)) {
      next = onChain;
    }
    TxBody body =
        TxBody.newBuilder()
            .setChainId(ledger.chainId())
            .setSenderPublicKey(key.publicKey().toByteString())
            .setNonce(next)
            .setModule(module)
            .setMessageType(type)
            .setPayload(payload.toByteString())
            .build();
    SubmitResult r = chain.submit(TransactionCodec.sign(body, key).toByteArray());
    if (!r.accepted()) {
      if (r.rejection() == TxRejection.BAD_NONCE) {
        next = onChain;
      }
      throw new TxRefusedException(
          module
              + "/"
              + type
              + " from "
              + address()
              + " refused: "
              + r.rejection()
              + " "
              + r.message());
    }
    next++;
    lastSend = System.nanoTime();
    return r.txHash();
  }

  /** Sends and waits for the block; throws if it did not commit in time or failed there. */
  public CommittedTx sendAndWait(String module, String type, Message payload, Duration timeout)
      throws TxRefusedException, InterruptedException {
    Hash h = send(module, type, payload);
    Optional<CommittedTx> c = chain.awaitCommitted(h, timeout);
    if (c.isEmpty()) {
      throw new TxRefusedException(
          module + "/" + type + " " + h.toHex() + " did not commit within " + timeout);
    }
    if (!c.get().ok()) {
      throw new TxRefusedException(
          module + "/" + type + " failed in block " + c.get().height() + ": " + c.get().error());
    }
    return c.get();
  }

  /** A transaction the mempool refused, or that failed or did not commit. */
  public static final class TxRefusedException extends Exception {
    public TxRefusedException(String message) {
      super(message);
    }
  }
}
