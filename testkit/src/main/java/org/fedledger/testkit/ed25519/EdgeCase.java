package org.fedledger.testkit.ed25519;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Edge-case Ed25519 signatures over any message, one per kind of the twelve vectors of "Taming the
 * many EdDSAs" ({@link SpeccheckVectors}): the vectors sign fixed messages, these sign whatever a
 * test needs signed (a transaction's body, whose sender key is {@link #publicKey()}). Built with
 * {@link Edwards}, independently of the library under test; each key is fixed, so a test can fund
 * its address in genesis.
 *
 * <p>{@link #accepted()} is the verdict of fedledger's documented rule (core's {@code Ed25519}): S
 * below L, A and R canonical and on the curve, A not of small order, the cofactored equation.
 */
public enum EdgeCase {
  /** An honest signature by a key of prime order: the baseline every implementation accepts. */
  HONEST(true, "an honest signature"),
  /**
   * A key of small order with R of small order and S = 0: the cofactored equation holds for every
   * message, so whoever accepts it lets anyone spend from the key's account (vectors 0 and 1).
   */
  SMALL_ORDER_KEY(
      false, "a key of small order, R of small order, S = 0 (a forgery for any message)"),
  /**
   * A key of mixed order (a prime-order part plus a point of order 8) signing honestly: only the
   * cofactored equation holds, unless 8 divides the challenge (vectors 2 to 5).
   */
  MIXED_ORDER_KEY(true, "a key of mixed order; only the cofactored equation holds"),
  /** An honest key, R of mixed order: only the cofactored equation holds (vectors 3 and 4). */
  MIXED_ORDER_R(true, "R of mixed order; only the cofactored equation holds"),
  /** An honest key, R of small order (vector 2's R). */
  SMALL_ORDER_R(true, "R of small order; only the cofactored equation holds"),
  /** An honest signature with S + L for S: the equations hold modulo L (vector 6). */
  NON_CANONICAL_S(false, "S + L in place of S (malleated)"),
  /** An honest signature with S + 8L for S, its high bits set (vector 7). */
  S_HIGH_BITS(false, "S + 8L in place of S (high bits set)"),
  /**
   * R encoded as x = 0 with the sign bit set (the point of order 2, non-canonically), S chosen so
   * that the cofactored equation holds on the bytes as received (vectors 8 and 9).
   */
  NON_CANONICAL_R(false, "R non-canonically encoded; the cofactored equation holds on its bytes"),
  /**
   * The key encoded as x = 0 with the sign bit set (a point of order 2, non-canonically), with a
   * signature for which the cofactored equation holds (vectors 10 and 11).
   */
  NON_CANONICAL_KEY(false, "a non-canonically encoded key of small order");

  /** The prime-order part of the keys here: [A_SCALAR]B. */
  private static final BigInteger A_SCALAR =
      new BigInteger("1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef", 16)
          .mod(Edwards.L);

  /** x = 0 with the sign bit set, y = p - 1: a non-canonical encoding of the point of order 2. */
  private static final byte[] NEGATIVE_ZERO =
      HexFormat.of().parseHex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");

  private static final Edwards.Point TORSION = Edwards.order8();
  private static final Edwards.Point PRIME_A = Edwards.B.times(A_SCALAR);

  private final boolean accepted;
  private final String description;

  EdgeCase(boolean accepted, String description) {
    this.accepted = accepted;
    this.description = description;
  }

  /** True if fedledger's rule accepts this kind of signature. */
  public boolean accepted() {
    return accepted;
  }

  public String description() {
    return description;
  }

  /** The signer's public key, 32 bytes, the same on every call. */
  public byte[] publicKey() {
    switch (this) {
      case SMALL_ORDER_KEY:
        return TORSION.encode();
      case MIXED_ORDER_KEY:
        return PRIME_A.add(TORSION).encode();
      case NON_CANONICAL_KEY:
        return NEGATIVE_ZERO.clone();
      default:
        return PRIME_A.encode();
    }
  }

  /** A signature of message under {@link #publicKey()}, of this case's kind; deterministic. */
  public byte[] sign(byte[] message) {
    byte[] key = publicKey();
    BigInteger r = nonce(message);
    switch (this) {
      case SMALL_ORDER_KEY:
        return concat(TORSION.encode(), new byte[32]);
      case MIXED_ORDER_R:
        return Edwards.sign(A_SCALAR, key, message, r, TORSION);
      case SMALL_ORDER_R:
        return Edwards.signWithR(A_SCALAR, key, message, BigInteger.ZERO, TORSION.encode());
      case NON_CANONICAL_S:
        return withS(honest(key, message, r), Edwards.L);
      case S_HIGH_BITS:
        return withS(honest(key, message, r), Edwards.L.shiftLeft(3));
      case NON_CANONICAL_R:
        return Edwards.signWithR(A_SCALAR, key, message, BigInteger.ZERO, NEGATIVE_ZERO);
      case NON_CANONICAL_KEY:
        // S = r, R = [r]B: [8][S]B = [8]R, and [8][k]A vanishes for A of order 2.
        return concat(Edwards.B.times(r).encode(), Edwards.littleEndian(r));
      default: // HONEST, MIXED_ORDER_KEY: S = r + k·a, R = [r]B
        return honest(key, message, r);
    }
  }

  private static byte[] honest(byte[] key, byte[] message, BigInteger r) {
    return Edwards.sign(A_SCALAR, key, message, r, Edwards.Point.IDENTITY);
  }

  /** The signature with add added to its S (S stays below 2^256 for add up to 8L). */
  private static byte[] withS(byte[] signature, BigInteger add) {
    BigInteger s = Edwards.fromLittleEndian(Arrays.copyOfRange(signature, 32, 64)).add(add);
    return concat(Arrays.copyOf(signature, 32), Edwards.littleEndian(s));
  }

  /** A per-message nonce, as RFC 8032 derives one from a secret prefix and the message. */
  private static BigInteger nonce(byte[] message) {
    try {
      MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
      sha512.update("fedledger edge-case nonce".getBytes(StandardCharsets.US_ASCII));
      sha512.update(message);
      return Edwards.fromLittleEndian(sha512.digest()).mod(Edwards.L);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-512", e);
    }
  }

  private static byte[] concat(byte[] r, byte[] s) {
    byte[] sig = new byte[64];
    System.arraycopy(r, 0, sig, 0, 32);
    System.arraycopy(s, 0, sig, 32, 32);
    return sig;
  }
}
