package org.fedledger.core.address;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.HexFormat;
import org.fedledger.core.hash.Sha256;

/**
 * An account address: the first 20 bytes of SHA-256 of the account's Ed25519 public key, written as
 * 40 lowercase hex digits.
 */
public final class Address implements Comparable<Address> {
  public static final int LENGTH = 20;

  private final byte[] bytes;

  private Address(byte[] bytes) {
    this.bytes = bytes;
  }

  public static Address of(byte[] bytes) {
    if (bytes == null || bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "an address is " + LENGTH + " bytes, got " + (bytes == null ? "null" : bytes.length));
    }
    return new Address(bytes.clone());
  }

  /** The address of a 32-byte Ed25519 public key. */
  public static Address fromPublicKey(byte[] publicKey) {
    if (publicKey == null || publicKey.length != 32) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes");
    }
    return new Address(Arrays.copyOf(Sha256.hash(publicKey).toByteArray(), LENGTH));
  }

  /** Parses 40 hex digits, with or without a leading "0x". */
  public static Address fromHex(String hex) {
    String digits = hex != null && hex.startsWith("0x") ? hex.substring(2) : hex;
    if (digits == null || digits.length() != 2 * LENGTH) {
      throw new IllegalArgumentException("an address is 40 hex digits, got: " + hex);
    }
    try {
      return new Address(HexFormat.of().parseHex(digits));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a hex address: " + hex, e);
    }
  }

  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** The 20 bytes as a protobuf field value, for the messages that carry addresses. */
  public ByteString toByteString() {
    return ByteString.copyFrom(bytes);
  }

  /**
   * Reads an address from a protobuf field; anything but 20 bytes is rejected, as by {@link #of}.
   */
  public static Address of(ByteString bytes) {
    if (bytes == null || bytes.size() != LENGTH) {
      throw new IllegalArgumentException(
          "an address is " + LENGTH + " bytes, got " + (bytes == null ? "null" : bytes.size()));
    }
    return new Address(bytes.toByteArray());
  }

  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Address other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(Address o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
