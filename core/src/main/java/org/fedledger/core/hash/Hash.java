package org.fedledger.core.hash;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 32-byte SHA-256 digest. Immutable: the bytes are copied in and out, so a hash can be used as a
 * map key and shared between threads.
 */
public final class Hash implements Comparable<Hash> {
  public static final int LENGTH = 32;

  /** 32 zero bytes: the parent of the first block, the root of an empty tree. */
  public static final Hash ZERO = new Hash(new byte[LENGTH]);

  private final byte[] bytes;

  private Hash(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps a copy of exactly 32 bytes; anything else is rejected. */
  public static Hash of(byte[] bytes) {
    if (bytes == null || bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "a hash is " + LENGTH + " bytes, got " + (bytes == null ? "null" : bytes.length));
    }
    return new Hash(bytes.clone());
  }

  /** Parses 64 hex digits (upper or lower case). */
  public static Hash fromHex(String hex) {
    if (hex == null || hex.length() != 2 * LENGTH) {
      throw new IllegalArgumentException("a hash is 64 hex digits, got: " + hex);
    }
    try {
      return new Hash(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a hex hash: " + hex, e);
    }
  }

  /** Takes ownership of the array without copying; for digests this package just computed. */
  static Hash wrap(byte[] bytes) {
    return new Hash(bytes);
  }

  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** The 32 bytes as a protobuf field value, for the messages that carry hashes. */
  public ByteString toByteString() {
    return ByteString.copyFrom(bytes);
  }

  /** Reads a hash from a protobuf field; anything but 32 bytes is rejected, as by {@link #of}. */
  public static Hash of(ByteString bytes) {
    if (bytes == null || bytes.size() != LENGTH) {
      throw new IllegalArgumentException(
          "a hash is " + LENGTH + " bytes, got " + (bytes == null ? "null" : bytes.size()));
    }
    return new Hash(bytes.toByteArray());
  }

  /** Copies the 32 bytes into destination at offset, without allocating. */
  public void copyInto(byte[] destination, int offset) {
    System.arraycopy(bytes, 0, destination, offset, LENGTH);
  }

  /** The byte at index i, without copying the whole hash. */
  public byte byteAt(int i) {
    return bytes[i];
  }

  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hash other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    // The bytes are already uniformly distributed.
    return ((bytes[0] & 0xff) << 24)
        | ((bytes[1] & 0xff) << 16)
        | ((bytes[2] & 0xff) << 8)
        | (bytes[3] & 0xff);
  }

  @Override
  public int compareTo(Hash o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
