package org.fedledger.core.crypto;

import java.util.Arrays;
import java.util.HexFormat;
import org.fedledger.core.address.Address;

/** A 32-byte Ed25519 public key, as encoded by RFC 8032. Verification: {@link Ed25519}. */
public final class Ed25519PublicKey {
  public static final int LENGTH = 32;

  private final byte[] encoded;

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

  public static Ed25519PublicKey fromHex(String hex) {
    try {
      return of(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a hex Ed25519 public key: " + hex, e);
    }
  }

  /** True if signature is a valid signature of message by this key under {@link Ed25519}'s rule. */
  public boolean verify(byte[] message, byte[] signature) {
    return Ed25519.verify(encoded, message, signature);
  }

  public Address address() {
    return Address.fromPublicKey(encoded);
  }

  public byte[] toByteArray() {
    return encoded.clone();
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
