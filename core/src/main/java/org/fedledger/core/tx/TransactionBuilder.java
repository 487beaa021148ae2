package org.fedledger.core.tx;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;

/**
 * Builds and signs a transaction. The {@code set} methods are required, {@code opt} ones optional;
 * {@link #build()} says what is missing, and refuses anything {@link TransactionCodec#decode} would
 * reject, so a transaction it returns is one every node accepts structurally.
 *
 * <pre>{@code
 * SignedTransaction tx =
 *     TransactionBuilder.builder()
 *         .setChainId("fedledger-dev")
 *         .setKey(key)
 *         .setNonce(7)
 *         .setMessage("bank", transfer) // message type "Transfer", from the payload's descriptor
 *         .optMemo("rent, March")
 *         .build();
 * }</pre>
 */
public final class TransactionBuilder {
  private String chainId;
  private Ed25519KeyPair key;
  private long nonce;
  private boolean nonceSet;
  private String module;
  private String messageType;
  private ByteString payload;
  private String memo = "";

  private TransactionBuilder() {}

  public static TransactionBuilder builder() {
    return new TransactionBuilder();
  }

  /** The network the transaction is for; nodes of any other chain reject it. */
  public TransactionBuilder setChainId(String chainId) {
    this.chainId = chainId;
    return this;
  }

  /** The sender's key: it signs, and its public key names the sender. */
  public TransactionBuilder setKey(Ed25519KeyPair key) {
    this.key = key;
    return this;
  }

  /** Must equal the sender's account nonce when the transaction executes. */
  public TransactionBuilder setNonce(long nonce) {
    this.nonce = nonce;
    this.nonceSet = true;
    return this;
  }

  /** The module that handles the payload, the message's type name within it, and the message. */
  public TransactionBuilder setMessage(String module, String messageType, Message payload) {
    this.module = module;
    this.messageType = messageType;
    this.payload = payload == null ? null : payload.toByteString();
    return this;
  }

  /**
   * As {@link #setMessage(String, String, Message)}, with the payload's protobuf message name as
   * its type (e.g. "Transfer" for {@code fedledger.v1.bank.Transfer}).
   */
  public TransactionBuilder setMessage(String module, Message payload) {
    return setMessage(
        module, payload == null ? null : payload.getDescriptorForType().getName(), payload);
  }

  /** Free text, at most {@link TransactionCodec#MAX_MEMO_BYTES} bytes of UTF-8; empty if unset. */
  public TransactionBuilder optMemo(String memo) {
    this.memo = memo == null ? "" : memo;
    return this;
  }

  /** The unsigned body, for signing elsewhere. */
  public TxBody buildBody() {
    require(chainId != null && !chainId.isEmpty(), "a chain id (setChainId)");
    require(key != null, "a key (setKey)");
    require(nonceSet, "a nonce (setNonce)");
    require(
        module != null && !module.isEmpty() && messageType != null && !messageType.isEmpty(),
        "a module and message type (setMessage)");
    require(payload != null, "a payload (setMessage)");
    return TxBody.newBuilder()
        .setChainId(chainId)
        .setSenderPublicKey(key.publicKey().toByteString())
        .setNonce(nonce)
        .setModule(module)
        .setMessageType(messageType)
        .setPayload(payload)
        .setMemo(memo)
        .build();
  }

  /**
   * The signed transaction.
   *
   * @throws IllegalStateException if a required part is missing
   * @throws IllegalArgumentException if nodes would reject the result (memo or payload too long)
   */
  public SignedTransaction build() {
    SignedTransaction tx = TransactionCodec.sign(buildBody(), key);
    try {
      TransactionCodec.decode(tx);
    } catch (InvalidTransactionException e) {
      throw new IllegalArgumentException(
          "nodes would reject this transaction (" + e.reason() + "): " + e.getMessage(), e);
    }
    return tx;
  }

  private static void require(boolean present, String what) {
    if (!present) {
      throw new IllegalStateException("a transaction needs " + what);
    }
  }
}
