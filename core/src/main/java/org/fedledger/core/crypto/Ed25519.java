package org.fedledger.core.crypto;

import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint;

/**
 * Ed25519 (RFC 8032, pure, no context) on BouncyCastle's implementation: the one signature scheme
 * of fedledger, and the one place its verification rule is decided.
 *
 * <h2>The verification rule</h2>
 *
 * <p>Every node must accept exactly the same signatures, or blocks stop being deterministic.
 * Implementations of Ed25519 disagree on edge cases (Chalkias, Garillot, Nikolaenko, "Taming the
 * many EdDSAs", 2020), so fedledger fixes one rule. A signature {@code R || S} of message {@code M}
 * under public key {@code A} is valid if and only if:
 *
 * <ol>
 *   <li>{@code A} is 32 bytes and the signature 64 bytes; any other length is invalid.
 *   <li>{@code S} is canonical: as a 256-bit little-endian integer, {@code S < L}, the order of the
 *       base point. {@code S >= L}, including {@code S + L} for a valid {@code S}, is rejected, so
 *       no one but the signer can derive a second valid signature from a first.
 *   <li>{@code A} is canonically encoded (its y coordinate is below p = 2<sup>255</sup> - 19, and
 *       the sign bit is clear when x = 0) and decodes to a point on the curve.
 *   <li>{@code A} is not one of the eight points of small order (the identity, the point of order
 *       2, the two of order 4, the four of order 8). A key of small order would let anyone produce
 *       signatures that verify for it. Points of mixed order (a prime-order part plus a torsion
 *       part) are accepted: an honest key never has one, and under the cofactored equation below
 *       the torsion part has no effect; proving prime order would cost a second scalar
 *       multiplication.
 *   <li>{@code R} is canonically encoded in the same sense and decodes to a point on the curve.
 *       {@code R} of small or mixed order is accepted.
 *   <li>The <b>cofactored</b> equation holds: {@code [8][S]B = [8]R + [8][k]A} with {@code k =
 *       SHA-512(R || A || M) mod L}, where {@code R} and {@code A} are the bytes as received (they
 *       are canonical by the rules above, so there is only one way to hash them).
 * </ol>
 *
 * <p>This is RFC 8032 section 5.1.7 with its cofactored check, with decoding failures fatal, plus
 * rejection of small-order keys; it is exactly what BouncyCastle 1.81's {@code Ed25519.verify}
 * implements, which {@code Ed25519Test} pins down case by case (including the twelve
 * ed25519-speccheck vectors) so that a library upgrade that changes it fails the build. The
 * cofactored equation is the one a batch verifier computes, so a batch verifier added later cannot
 * disagree with this single-signature one.
 *
 * <p>Cost: one verification takes about 80 microseconds on one core; decoding the public key is
 * about a tenth of it, which {@link Ed25519PublicKey#verify} saves by keeping the decoded point.
 * Where AWS-LC is available, {@link Ed25519PublicKey#verify} accepts a valid signature in about 38
 * microseconds and leaves every other verdict to BouncyCastle ({@link AwsLcEd25519} explains why
 * that cannot change the rule).
 */
public final class Ed25519 {
  public static final int SIGNATURE_LENGTH = 64;

  /** L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
  private static final byte[] GROUP_ORDER_LE =
      HexFormat.of().parseHex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");

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

  /**
   * True if signature is valid for message under publicKey by the rule above; false for any
   * malformed input, null included. Never throws.
   */
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

  /**
   * Rule 2 on its own: true if the signature is 64 bytes and its S, as a little-endian integer, is
   * below L. BouncyCastle checks this inside its verification; AWS-LC is only asked about a
   * signature that passed it.
   */
  static boolean hasCanonicalS(byte[] signature) {
    if (signature == null || signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    for (int i = 31; i >= 0; i--) {
      int s = signature[32 + i] & 0xff;
      int l = GROUP_ORDER_LE[i] & 0xff;
      if (s != l) {
        return s < l;
      }
    }
    return false; // S == L
  }

  /** A short name of who verifies signatures in this process, for logs and reports. */
  public static String verifier() {
    return AwsLcEd25519.describe();
  }

  /**
   * The decoded point of a 32-byte public key, or null if rules 3 and 4 reject it. The point
   * applies the same rule as the bytes: BouncyCastle checks exactly rules 3 and 4 when it decodes a
   * key for verification.
   */
  static PublicPoint decode(byte[] publicKey) {
    return org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyPartialExport(publicKey, 0);
  }

  /**
   * {@link #verify(byte[], byte[], byte[])} with a public key already decoded by {@link #decode}.
   */
  static boolean verifyDecoded(PublicPoint publicKey, byte[] message, byte[] signature) {
    if (message == null || signature == null || signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(
        signature, 0, publicKey, message, 0, message.length);
  }
}
