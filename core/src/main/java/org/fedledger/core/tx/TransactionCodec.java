package org.fedledger.core.tx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.security.MessageDigest;
import org.fedledger.core.crypto.Ed25519;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;

/**
 * Encodes, signs and decodes transactions; the decoder checks structure, never state.
 *
 * <p>A transaction's hash is {@code SHA-256(body || signature)} over the body bytes exactly as
 * signed and the 64 signature bytes: it does not depend on how the SignedTransaction envelope
 * around them is encoded.
 *
 * <p>{@link #decode} accepts a transaction only if all of these hold, and otherwise throws an
 * {@link InvalidTransactionException} saying which failed:
 *
 * <ul>
 *   <li>the encoding is 1 to {@link #MAX_TX_BYTES} bytes ({@link TxRejection#OVERSIZE} above);
 *   <li>it is a SignedTransaction whose body is a TxBody, neither with fields this version does not
 *       know: a node never silently ignores part of what a sender signed, and never stores bytes it
 *       does not interpret;
 *   <li>the signature is 64 bytes and sender_public_key 32 bytes;
 *   <li>module and message_type are set, and the memo is at most {@link #MAX_MEMO_BYTES} bytes of
 *       UTF-8 (protobuf already rejects strings that are not UTF-8).
 * </ul>
 *
 * All other failures are {@link TxRejection#MALFORMED}. The signature itself is checked by {@link
 * DecodedTransaction#hasValidSignature()}, separately: it costs tens of times more than decoding.
 * Decoding is deterministic: blocks run it, and every node must reach the same verdict.
 */
public final class TransactionCodec {
  /** Largest encoded SignedTransaction a node accepts. */
  public static final int MAX_TX_BYTES = 64 * 1024;

  /** Longest memo, in bytes of UTF-8. */
  public static final int MAX_MEMO_BYTES = 256;

  private TransactionCodec() {}

  /** Signs the body's encoding with key. See {@link TransactionBuilder} for the usual way in. */
  public static SignedTransaction sign(TxBody body, Ed25519KeyPair key) {
    byte[] bodyBytes = body.toByteArray();
    return SignedTransaction.newBuilder()
        .setBody(ByteString.copyFrom(bodyBytes))
        .setSignature(ByteString.copyFrom(key.sign(bodyBytes)))
        .build();
  }

  /** SHA-256 of the body bytes followed by the signature bytes. */
  public static Hash hashOf(SignedTransaction tx) {
    MessageDigest digest = Sha256.threadDigest();
    digest.update(tx.getBody().asReadOnlyByteBuffer());
    digest.update(tx.getSignature().asReadOnlyByteBuffer());
    return Hash.of(digest.digest());
  }

  /** Decodes a transaction as received from a client or peer; see the class comment. */
  public static DecodedTransaction decode(byte[] encoded) throws InvalidTransactionException {
    if (encoded == null || encoded.length == 0) {
      throw malformed("empty transaction");
    }
    if (encoded.length > MAX_TX_BYTES) {
      throw oversize(encoded.length);
    }
    SignedTransaction signed;
    try {
      signed = SignedTransaction.parseFrom(encoded);
    } catch (InvalidProtocolBufferException e) {
      throw malformed("not a SignedTransaction: " + ProtobufErrors.describe(e));
    }
    return decode(signed);
  }

  /** Checks a transaction already parsed, e.g. from a block proposal; see the class comment. */
  public static DecodedTransaction decode(SignedTransaction signed)
      throws InvalidTransactionException {
    if (signed == null) {
      throw malformed("empty transaction");
    }
    int size = signed.getSerializedSize();
    if (size > MAX_TX_BYTES) {
      throw oversize(size);
    }
    rejectUnknownFields(signed, "SignedTransaction");
    if (signed.getBody().isEmpty()) {
      throw malformed("body is empty");
    }
    if (signed.getSignature().size() != Ed25519.SIGNATURE_LENGTH) {
      throw malformed(
          "signature must be "
              + Ed25519.SIGNATURE_LENGTH
              + " bytes, got "
              + signed.getSignature().size());
    }
    TxBody body;
    try {
      body = TxBody.parseFrom(signed.getBody());
    } catch (InvalidProtocolBufferException e) {
      throw malformed("body is not a TxBody: " + ProtobufErrors.describe(e));
    }
    rejectUnknownFields(body, "TxBody");
    if (body.getSenderPublicKey().size() != Ed25519PublicKey.LENGTH) {
      throw malformed(
          "sender_public_key must be "
              + Ed25519PublicKey.LENGTH
              + " bytes, got "
              + body.getSenderPublicKey().size());
    }
    if (body.getModule().isEmpty()) {
      throw malformed("module is required");
    }
    if (body.getMessageType().isEmpty()) {
      throw malformed("message_type is required");
    }
    int memoBytes = body.getMemoBytes().size();
    if (memoBytes > MAX_MEMO_BYTES) {
      throw malformed("memo is " + memoBytes + " bytes of UTF-8; the limit is " + MAX_MEMO_BYTES);
    }
    Ed25519PublicKey sender = Ed25519PublicKey.shared(body.getSenderPublicKey().toByteArray());
    return new DecodedTransaction(hashOf(signed), signed, body, sender, sender.address());
  }

  private static void rejectUnknownFields(Message message, String type)
      throws InvalidTransactionException {
    if (!message.getUnknownFields().asMap().isEmpty()) {
      throw malformed(
          type
              + " has fields this node does not know: "
              + message.getUnknownFields().asMap().keySet());
    }
  }

  private static InvalidTransactionException malformed(String message) {
    return new InvalidTransactionException(TxRejection.MALFORMED, message);
  }

  private static InvalidTransactionException oversize(int size) {
    return new InvalidTransactionException(
        TxRejection.OVERSIZE, "transaction is " + size + " bytes; the limit is " + MAX_TX_BYTES);
  }
}
