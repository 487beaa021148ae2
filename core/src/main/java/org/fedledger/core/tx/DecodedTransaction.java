package org.fedledger.core.tx;

import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;

/**
 * A structurally valid transaction, as {@link TransactionCodec#decode} returns it: decoded,
 * size-checked, with its hash and sender. The signature has not been checked yet: call {@link
 * #hasValidSignature()}.
 *
 * @param hash SHA-256 of body bytes followed by signature bytes (independent of envelope encoding)
 * @param signed the envelope as received
 * @param body the decoded body
 * @param sender the key in body.sender_public_key
 * @param senderAddress the address of that key
 */
public record DecodedTransaction(
    Hash hash,
    SignedTransaction signed,
    TxBody body,
    Ed25519PublicKey sender,
    Address senderAddress) {

  /**
   * True if the signature is valid over the body bytes for the body's sender_public_key, under
   * {@link Ed25519}'s rule. About 80 microseconds, less the key's decoding when the sender's key
   * was decoded before ({@link Ed25519PublicKey#shared}); safe to call from several threads at
   * once.
   */
  public boolean hasValidSignature() {
    return sender.verify(signed.getBody().toByteArray(), signed.getSignature().toByteArray());
  }

  /**
   * Which of {@link Ed25519}'s rules the signature breaks, for a refusal's message; null if it is
   * valid. Costs a verification: call it only once {@link #hasValidSignature()} has said no.
   */
  public String whySignatureInvalid() {
    return Ed25519.whyInvalid(
        sender.toByteArray(), signed.getBody().toByteArray(), signed.getSignature().toByteArray());
  }
}
