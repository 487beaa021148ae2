package org.fedledger.core.crypto;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
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
 * <h2>Who verifies with it</h2>
 *
 * <p>Every signature fedledger checks goes through {@link Ed25519PublicKey#verify} (or {@link
 * #verify} for raw bytes), and so through this rule, nothing else: transactions ({@code
 * DecodedTransaction.hasValidSignature}, at the mempool's admission and in block execution),
 * state-root votes ({@code StateRootVotes}), payment-channel vouchers ({@code Vouchers}, at the
 * provider's payment gate and in the market's claims), signed blob and owner requests ({@code
 * SignedRequest}) and prediction receipts ({@code Receipts}). No other Ed25519 implementation is
 * called anywhere (AWS-LC only as described below).
 *
 * <p>{@link #whyInvalid} names the rule a refused signature breaks, for error messages; the mempool
 * and block execution report it with {@code BAD_SIGNATURE}.
 *
 * <p>This is RFC 8032 section 5.1.7 with its cofactored check, with decoding failures fatal, plus
 * rejection of small-order keys; it is exactly what BouncyCastle 1.81's {@code Ed25519.verify}
 * implements, which {@code Ed25519Test} pins down case by case (including the twelve vectors of
 * "Taming the many EdDSAs", read from the test kit's {@code speccheck-cases.txt}, which quotes
 * their source) so that a library upgrade that changes it fails the build. The cofactored equation
 * is the one a batch verifier computes, so a batch verifier added later cannot disagree with this
 * single-signature one.
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

  /**
   * The canonical encodings of the eight points of small order (identity; order 2; two of order 4;
   * four of order 8), which rule 4 rejects as keys. {@code Ed25519Test} derives each from the curve
   * with arithmetic independent of BouncyCastle.
   */
  private static final List<byte[]> SMALL_ORDER_POINTS =
      Stream.of(
              "0100000000000000000000000000000000000000000000000000000000000000",
              "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
              "0000000000000000000000000000000000000000000000000000000000000000",
              "0000000000000000000000000000000000000000000000000000000000000080",
              "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
              "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
              "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
              "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa")
          .map(HexFormat.of()::parseHex)
          .toList();

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
   * Why {@link #verify} refuses this signature, naming the rule it breaks, or null if it accepts
   * it. For error messages only (a refused transaction, a bad voucher): the verdict is {@link
   * #verify}'s, and this is called only once it has said no. Never throws.
   */
  public static String whyInvalid(byte[] publicKey, byte[] message, byte[] signature) {
    if (verify(publicKey, message, signature)) {
      return null;
    }
    if (publicKey == null || publicKey.length != Ed25519PublicKey.LENGTH) {
      return "the public key is not 32 bytes";
    }
    if (message == null) {
      return "there is no message";
    }
    if (signature == null || signature.length != SIGNATURE_LENGTH) {
      return "the signature is not 64 bytes";
    }
    if (!hasCanonicalS(signature)) {
      return "the signature's S is not below the group order L, as in a malleated copy of a"
          + " signature (rule 2)";
    }
    String key = pointProblem(publicKey);
    if (key != null) {
      return "the public key " + key + " (rule 3)";
    }
    if (isSmallOrder(publicKey)) {
      return "the public key is a point of small order, for which anyone can make signatures"
          + " (rule 4)";
    }
    String r = pointProblem(Arrays.copyOf(signature, 32));
    if (r != null) {
      return "the signature's R " + r + " (rule 5)";
    }
    return "the equation [8][S]B = [8]R + [8][k]A does not hold (rule 6): the signature was made"
        + " over other bytes or by another key";
  }

  /** Why 32 bytes are no canonical encoding of a curve point, or null if they are one. */
  private static String pointProblem(byte[] encoded) {
    if (!isCanonicalEncoding(encoded)) {
      return "is not canonically encoded (its y is not below p, or x = 0 with the sign bit set)";
    }
    if (!isSmallOrder(encoded) && decode(encoded) == null) {
      return "is not a point on the curve";
    }
    return null;
  }

  private static boolean isSmallOrder(byte[] encoded) {
    return SMALL_ORDER_POINTS.stream().anyMatch(p -> Arrays.equals(p, encoded));
  }

  /**
   * True if y (the low 255 bits) is below p = 2^255 - 19 and the encoding is not x = 0 with the
   * sign bit set; x = 0 exactly when y is 1 or p - 1.
   */
  private static boolean isCanonicalEncoding(byte[] e) {
    boolean sign = (e[31] & 0x80) != 0;
    boolean topAllOnes = (e[31] & 0x7f) == 0x7f;
    for (int i = 1; i < 31 && topAllOnes; i++) {
      topAllOnes = e[i] == (byte) 0xff;
    }
    if (topAllOnes && (e[0] & 0xff) >= 0xed) {
      return false; // y >= p
    }
    boolean yIsOne = e[0] == 1 && (e[31] & 0x7f) == 0 && isZero(e, 1, 31);
    boolean yIsMinusOne = topAllOnes && (e[0] & 0xff) == 0xec;
    return !(sign && (yIsOne || yIsMinusOne));
  }

  private static boolean isZero(byte[] e, int from, int to) {
    for (int i = from; i < to; i++) {
      if (e[i] != 0) {
        return false;
      }
    }
    return true;
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
