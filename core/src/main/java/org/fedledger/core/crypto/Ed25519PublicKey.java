package org.fedledger.core.crypto;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint;
import org.fedledger.core.address.Address;

/**
 * A 32-byte Ed25519 public key, as encoded by RFC 8032. Verification follows {@link Ed25519}'s
 * rule.
 *
 * <p>The key decodes its curve point on first use and keeps it, which saves about a tenth of each
 * later verification: hold on to one instance per signer (a validator, a busy account) rather than
 * building a new one per signature. Instances are immutable and safe to share between threads.
 *
 * <p>Where AWS-LC is available ({@link AwsLcEd25519}), this key asks it first and takes its yes,
 * which halves the cost of a valid signature; anything else is decided by BouncyCastle, so the
 * answer is the rule's either way.
 */
public final class Ed25519PublicKey {
  public static final int LENGTH = 32;

  /** Marks a key that the rule rejects; such a key verifies nothing. */
  private static final Object REJECTED = new Object();

  /** Past this many keys, {@link #shared} forgets them all and starts again. */
  private static final int SHARED_CAPACITY = 100_000;

  private static final Map<ByteBuffer, Ed25519PublicKey> SHARED = new ConcurrentHashMap<>();

  private final byte[] encoded;

  /** The address, computed on first use (racy single check, like the point). */
  private Address address;

  /**
   * The {@link Accepted} key, {@link #REJECTED}, or null until first needed. Racy single check: two
   * threads may both decode, with the same result; every field involved is final, so publishing it
   * without a lock is safe.
   */
  private Object decoded;

  /**
   * A key that passed the rule's checks on keys: BouncyCastle's decoded point, and the same key for
   * AWS-LC (null where AWS-LC is not available).
   */
  private record Accepted(PublicPoint point, PublicKey awsLcKey) {}

  private Ed25519PublicKey(byte[] encoded) {
    this.encoded = encoded;
  }

  /** Wraps a copy of 32 bytes. Whether the key is acceptable is decided by verification. */
  public static Ed25519PublicKey of(byte[] encoded) {
    if (encoded == null || encoded.length != LENGTH) {
      throw new IllegalArgumentException(
          "an Ed25519 public key is 32 bytes, got " + (encoded == null ? "null" : encoded.length));
    }
    return new Ed25519PublicKey(encoded.clone());
  }

  /**
   * The one instance this process keeps for these 32 bytes, so that every transaction of a sender
   * reuses the decoded point and the address. Equal to {@link #of} in every other way.
   */
  public static Ed25519PublicKey shared(byte[] encoded) {
    if (encoded == null || encoded.length != LENGTH) {
      return of(encoded);
    }
    Ed25519PublicKey key = SHARED.get(ByteBuffer.wrap(encoded));
    if (key == null) {
      if (SHARED.size() >= SHARED_CAPACITY) {
        SHARED.clear();
      }
      key = of(encoded);
      Ed25519PublicKey raced = SHARED.putIfAbsent(ByteBuffer.wrap(key.encoded), key);
      if (raced != null) {
        key = raced;
      }
    }
    return key;
  }

  public static Ed25519PublicKey fromHex(String hex) {
    try {
      return of(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a hex Ed25519 public key: " + hex, e);
    }
  }

  /**
   * True if signature is a valid signature of message by this key under {@link Ed25519}'s rule; the
   * same answer as {@link Ed25519#verify(byte[], byte[], byte[])} for these bytes.
   */
  public boolean verify(byte[] message, byte[] signature) {
    if (!(decoded() instanceof Accepted key) || message == null) {
      return false;
    }
    if (key.awsLcKey() != null
        && Ed25519.hasCanonicalS(signature)
        && AwsLcEd25519.accepts(key.awsLcKey(), message, signature)) {
      return true;
    }
    return Ed25519.verifyDecoded(key.point(), message, signature);
  }

  /**
   * True if the key could ever verify a signature: it is canonically encoded, on the curve and not
   * of small order. Worth checking where a key is registered (genesis, a validator set change), so
   * that a useless key is refused with a clear message instead of failing every signature later.
   */
  public boolean isValid() {
    return decoded() instanceof Accepted;
  }

  private Object decoded() {
    Object d = decoded;
    if (d == null) {
      PublicPoint point = Ed25519.decode(encoded);
      d = point == null ? REJECTED : new Accepted(point, AwsLcEd25519.publicKey(encoded));
      decoded = d;
    }
    return d;
  }

  public Address address() {
    Address a = address;
    if (a == null) {
      a = Address.fromPublicKey(encoded);
      address = a;
    }
    return a;
  }

  public byte[] toByteArray() {
    return encoded.clone();
  }

  /** The 32 encoded bytes as a protobuf field value. */
  public ByteString toByteString() {
    return ByteString.copyFrom(encoded);
  }

  public String toHex() {
    return HexFormat.of().formatHex(encoded);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ed25519PublicKey other && Arrays.equals(encoded, other.encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
