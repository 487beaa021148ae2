package org.fedledger.testkit.ed25519;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Textbook edwards25519 arithmetic in BigInteger, for tests only: slow, not constant-time, and
 * independent of BouncyCastle, so that tests can build edge-case points and signatures and check
 * what a case really is (its order, whether the cofactorless equation holds) without trusting the
 * code under test. Moved here from core's tests so that every module's tests can build the same
 * edge cases ({@link EdgeCase}).
 */
public final class Edwards {
  public static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
  public static final BigInteger L =
      BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
  public static final BigInteger D =
      BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
  private static final BigInteger SQRT_M1 =
      BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);

  public record Point(BigInteger x, BigInteger y) {
    public static final Point IDENTITY = new Point(BigInteger.ZERO, BigInteger.ONE);

    public Point add(Point q) {
      BigInteger t = D.multiply(x).multiply(q.x).multiply(y).multiply(q.y).mod(P);
      BigInteger x3 =
          x.multiply(q.y).add(q.x.multiply(y)).multiply(BigInteger.ONE.add(t).modInverse(P));
      BigInteger y3 =
          y.multiply(q.y).add(x.multiply(q.x)).multiply(BigInteger.ONE.subtract(t).modInverse(P));
      return new Point(x3.mod(P), y3.mod(P));
    }

    public Point negate() {
      return new Point(P.subtract(x).mod(P), y);
    }

    /** [k]P, in extended coordinates with one inversion at the end (RFC 8032 section 5.1.4). */
    public Point times(BigInteger k) {
      BigInteger[] r = {BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO};
      BigInteger[] q = {x, y, BigInteger.ONE, x.multiply(y).mod(P)};
      for (int i = 0; i < k.bitLength(); i++) {
        if (k.testBit(i)) {
          r = extendedAdd(r, q);
        }
        q = extendedAdd(q, q);
      }
      BigInteger zInv = r[2].modInverse(P);
      return new Point(r[0].multiply(zInv).mod(P), r[1].multiply(zInv).mod(P));
    }

    public Point times(long k) {
      return times(BigInteger.valueOf(k));
    }

    public boolean isIdentity() {
      return equals(IDENTITY);
    }

    /** The smallest n in {1, 2, 4, 8} with [n]P = identity, or 0 if P is not of small order. */
    public int smallOrder() {
      for (int n = 1; n <= 8; n *= 2) {
        if (times(n).isIdentity()) {
          return n;
        }
      }
      return 0;
    }

    public boolean hasPrimeOrder() {
      return !isIdentity() && times(L).isIdentity();
    }

    /** Neither small nor of prime order: a prime-order part plus a torsion part. */
    public boolean isMixedOrder() {
      return smallOrder() == 0 && !hasPrimeOrder();
    }

    /** The canonical RFC 8032 encoding. */
    public byte[] encode() {
      BigInteger v = y.or(x.testBit(0) ? BigInteger.ONE.shiftLeft(255) : BigInteger.ZERO);
      return littleEndian(v);
    }
  }

  public static final Point B =
      decodeLenient(littleEndian(BigInteger.valueOf(4).multiply(inv(5)).mod(P)));

  private Edwards() {}

  private static final BigInteger D2 = D.shiftLeft(1).mod(P);

  /** Unified addition in extended coordinates (X, Y, Z, T); also doubles. */
  private static BigInteger[] extendedAdd(BigInteger[] p, BigInteger[] q) {
    BigInteger a = p[1].subtract(p[0]).multiply(q[1].subtract(q[0])).mod(P);
    BigInteger b = p[1].add(p[0]).multiply(q[1].add(q[0])).mod(P);
    BigInteger c = p[3].multiply(D2).multiply(q[3]).mod(P);
    BigInteger d = p[2].shiftLeft(1).multiply(q[2]).mod(P);
    BigInteger e = b.subtract(a);
    BigInteger f = d.subtract(c);
    BigInteger g = d.add(c);
    BigInteger h = b.add(a);
    return new BigInteger[] {
      e.multiply(f).mod(P), g.multiply(h).mod(P), f.multiply(g).mod(P), e.multiply(h).mod(P)
    };
  }

  private static BigInteger inv(long v) {
    return BigInteger.valueOf(v).modInverse(P);
  }

  /** x for y with the given sign bit, or null if y is on no point. Accepts x = 0 with sign 1. */
  public static BigInteger recoverX(BigInteger y, boolean sign) {
    BigInteger yy = y.multiply(y).mod(P);
    BigInteger x2 =
        yy.subtract(BigInteger.ONE)
            .multiply(D.multiply(yy).add(BigInteger.ONE).modInverse(P))
            .mod(P);
    if (x2.signum() == 0) {
      return BigInteger.ZERO;
    }
    BigInteger x = x2.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
    if (!x.multiply(x).subtract(x2).mod(P).equals(BigInteger.ZERO)) {
      x = x.multiply(SQRT_M1).mod(P);
    }
    if (!x.multiply(x).subtract(x2).mod(P).equals(BigInteger.ZERO)) {
      return null;
    }
    return x.testBit(0) == sign ? x : P.subtract(x);
  }

  /**
   * Decodes like a lenient implementation would: y is reduced mod p, and x = 0 with the sign bit
   * set is read as x = 0. Null if the bytes are on no point at all.
   */
  public static Point decodeLenient(byte[] encoded) {
    BigInteger v = fromLittleEndian(encoded);
    boolean sign = v.testBit(255);
    BigInteger y = v.clearBit(255).mod(P);
    BigInteger x = recoverX(y, sign);
    return x == null ? null : new Point(x, y);
  }

  /** True unless y >= p, or x = 0 with the sign bit set. */
  public static boolean isCanonical(byte[] encoded) {
    Point p = decodeLenient(encoded);
    return p != null && java.util.Arrays.equals(p.encode(), encoded);
  }

  /** Some point of order exactly 8. */
  public static Point order8() {
    for (int y = 2; ; y++) {
      BigInteger x = recoverX(BigInteger.valueOf(y), false);
      if (x != null) {
        Point torsion = new Point(x, BigInteger.valueOf(y)).times(L);
        if (torsion.smallOrder() == 8) {
          return torsion;
        }
      }
    }
  }

  /** k = SHA-512(R || A || M) mod L, as RFC 8032 computes it. */
  public static BigInteger challenge(byte[] r, byte[] a, byte[] message) {
    try {
      MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
      sha512.update(r);
      sha512.update(a);
      sha512.update(message);
      return fromLittleEndian(sha512.digest()).mod(L);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** True if [S]B = R + [k]A for the signature's R and S, read leniently. */
  public static boolean cofactorlessEquationHolds(
      byte[] publicKey, byte[] message, byte[] signature) {
    return equationHolds(publicKey, message, signature, 1);
  }

  /** True if [8][S]B = [8]R + [8][k]A for the signature's R and S, read leniently. */
  public static boolean cofactoredEquationHolds(
      byte[] publicKey, byte[] message, byte[] signature) {
    return equationHolds(publicKey, message, signature, 8);
  }

  private static boolean equationHolds(byte[] a, byte[] message, byte[] signature, int cofactor) {
    byte[] r = java.util.Arrays.copyOfRange(signature, 0, 32);
    BigInteger s = fromLittleEndian(java.util.Arrays.copyOfRange(signature, 32, 64));
    Point pa = decodeLenient(a);
    Point pr = decodeLenient(r);
    BigInteger k = challenge(r, a, message);
    Point left = B.times(s).times(cofactor);
    Point right = pr.add(pa.times(k)).times(cofactor);
    return left.equals(right);
  }

  /**
   * A signature (R = [r]B + rTorsion, S = r + k·a mod L) made by hand for the key encoded as
   * publicKey whose prime-order part is [a]B. With rTorsion of small order, R is of mixed order.
   */
  public static byte[] sign(
      BigInteger a, byte[] publicKey, byte[] message, BigInteger r, Point rTorsion) {
    byte[] encodedR = B.times(r).add(rTorsion).encode();
    return signWithR(a, publicKey, message, r, encodedR);
  }

  /** As {@link #sign}, with R given as bytes (which may be non-canonical) and S = r + k·a. */
  public static byte[] signWithR(
      BigInteger a, byte[] publicKey, byte[] message, BigInteger r, byte[] encodedR) {
    BigInteger k = challenge(encodedR, publicKey, message);
    BigInteger s = r.add(k.multiply(a)).mod(L);
    byte[] sig = new byte[64];
    System.arraycopy(encodedR, 0, sig, 0, 32);
    System.arraycopy(littleEndian(s), 0, sig, 32, 32);
    return sig;
  }

  public static byte[] littleEndian(BigInteger v) {
    byte[] be = v.toByteArray();
    byte[] le = new byte[32];
    for (int i = 0; i < Math.min(be.length, 32); i++) {
      le[i] = be[be.length - 1 - i];
    }
    return le;
  }

  public static BigInteger fromLittleEndian(byte[] le) {
    byte[] be = new byte[le.length];
    for (int i = 0; i < le.length; i++) {
      be[i] = le[le.length - 1 - i];
    }
    return new BigInteger(1, be);
  }
}
