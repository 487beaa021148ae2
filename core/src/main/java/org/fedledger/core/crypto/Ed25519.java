package org.fedledger.core.crypto;

/**
 * Ed25519 (RFC 8032, pure, no context) on BouncyCastle's implementation: the one signature scheme
 * of fedledger, and the one place its verification rule is decided.
 */
public final class Ed25519 {
  public static final int SIGNATURE_LENGTH = 64;

  private Ed25519() {}

  static byte[] publicKeyOf(byte[] seed) {
    byte[] pk = new byte[Ed25519PublicKey.LENGTH];
    org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(seed, 0, pk, 0);
    return pk;
  }

  static byte[] sign(byte[] seed, byte[] publicKey, byte[] message) {
    byte[] sig = new byte[SIGNATURE_LENGTH];
    org.bouncycastle.math.ec.rfc8032.Ed25519.sign(
        seed, 0, publicKey, 0, message, 0, message.length, sig, 0);
    return sig;
  }

  /** True if signature is valid for message under publicKey; false for any malformed input. */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey == null
        || publicKey.length != Ed25519PublicKey.LENGTH
        || message == null
        || signature == null
        || signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(
        signature, 0, publicKey, 0, message, 0, message.length);
  }
}
