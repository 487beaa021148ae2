package org.fedledger.core.tx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;

/** Encodes, signs and decodes transactions; the decoder checks structure, never state. */
public final class TransactionCodec {
  /** Largest encoded SignedTransaction a node accepts. */
  public static final int MAX_TX_BYTES = 64 * 1024;

  public static final int MAX_MEMO_BYTES = 256;

  private TransactionCodec() {}

  public static SignedTransaction sign(TxBody body, Ed25519KeyPair key) {
    byte[] bodyBytes = body.toByteArray();
    return SignedTransaction.newBuilder()
        .setBody(ByteString.copyFrom(bodyBytes))
        .setSignature(ByteString.copyFrom(key.sign(bodyBytes)))
        .build();
  }

  public static Hash hashOf(SignedTransaction tx) {
    return Sha256.hash(tx.getBody().toByteArray(), tx.getSignature().toByteArray());
  }

  public static DecodedTransaction decode(byte[] encoded) throws InvalidTransactionException {
    if (encoded == null || encoded.length == 0) {
      throw new InvalidTransactionException(TxRejection.MALFORMED, "empty transaction");
    }
    if (encoded.length > MAX_TX_BYTES) {
      throw new InvalidTransactionException(
          TxRejection.OVERSIZE,
          "transaction is " + encoded.length + " bytes; the limit is " + MAX_TX_BYTES);
    }
    try {
      return decode(SignedTransaction.parseFrom(encoded));
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidTransactionException(
          TxRejection.MALFORMED, "not a SignedTransaction: " + e.getMessage());
    }
  }

  public static DecodedTransaction decode(SignedTransaction signed)
      throws InvalidTransactionException {
    if (signed.getSerializedSize() > MAX_TX_BYTES) {
      throw new InvalidTransactionException(
          TxRejection.OVERSIZE,
          "transaction is " + signed.getSerializedSize() + " bytes; the limit is " + MAX_TX_BYTES);
    }
    if (signed.getSignature().size() != Ed25519.SIGNATURE_LENGTH) {
      throw new InvalidTransactionException(
          TxRejection.MALFORMED, "signature must be 64 bytes, got " + signed.getSignature().size());
    }
    TxBody body;
    try {
      body = TxBody.parseFrom(signed.getBody());
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidTransactionException(
          TxRejection.MALFORMED, "body is not a TxBody: " + e.getMessage());
    }
    if (body.getSenderPublicKey().size() != Ed25519PublicKey.LENGTH) {
      throw new InvalidTransactionException(
          TxRejection.MALFORMED,
          "sender_public_key must be 32 bytes, got " + body.getSenderPublicKey().size());
    }
    if (body.getModule().isEmpty() || body.getMessageType().isEmpty()) {
      throw new InvalidTransactionException(
          TxRejection.MALFORMED, "module and message_type are required");
    }
    if (body.getMemo().getBytes(StandardCharsets.UTF_8).length > MAX_MEMO_BYTES) {
      throw new InvalidTransactionException(
          TxRejection.MALFORMED, "memo is longer than " + MAX_MEMO_BYTES + " bytes");
    }
    Ed25519PublicKey sender = Ed25519PublicKey.of(body.getSenderPublicKey().toByteArray());
    Address address = Address.fromPublicKey(body.getSenderPublicKey().toByteArray());
    return new DecodedTransaction(hashOf(signed), signed, body, sender, address);
  }
}
