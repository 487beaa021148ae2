package org.fedledger.ledger.state;

import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;

/**
 * The hashing rules of the state tree, in one place so that the tree and the proof verifier cannot
 * disagree.
 *
 * <ul>
 *   <li>path of a key: the 256 bits of SHA-256(key), most significant bit of byte 0 first; bit 0
 *       chooses the root's child (0 = left);
 *   <li>empty subtree: 32 zero bytes ({@link Hash#ZERO}), not a hash of anything;
 *   <li>leaf: SHA-256(0x00 || SHA-256(key) || SHA-256(value));
 *   <li>internal node: SHA-256(0x01 || left || right).
 * </ul>
 *
 * A subtree that holds exactly one leaf is that leaf's hash, wherever the leaf sits below: the tree
 * is "compact", so its depth is about log2(number of keys), not 256. The distinct first bytes keep
 * a leaf from being passed off as an internal node and back.
 */
public final class TreeHashing {
  static final byte LEAF_PREFIX = 0x00;
  static final byte INTERNAL_PREFIX = 0x01;

  /** Path length in bits. */
  public static final int DEPTH = 256;

  /** One 65-byte input buffer per thread: prefix and two hashes, hashed without allocating. */
  private static final ThreadLocal<byte[]> BUFFER =
      ThreadLocal.withInitial(() -> new byte[1 + 2 * Hash.LENGTH]);

  private TreeHashing() {}

  public static Hash keyHash(byte[] key) {
    return Sha256.hash(key);
  }

  public static Hash valueHash(byte[] value) {
    return Sha256.hash(value);
  }

  public static Hash leaf(Hash keyHash, Hash valueHash) {
    return node(LEAF_PREFIX, keyHash, valueHash);
  }

  public static Hash internal(Hash left, Hash right) {
    return node(INTERNAL_PREFIX, left, right);
  }

  private static Hash node(byte prefix, Hash a, Hash b) {
    byte[] buffer = BUFFER.get();
    buffer[0] = prefix;
    a.copyInto(buffer, 1);
    b.copyInto(buffer, 1 + Hash.LENGTH);
    return Sha256.hash(buffer);
  }

  /** Bit i of the path (0 = left, 1 = right). */
  public static int bit(Hash path, int i) {
    return (path.byteAt(i >>> 3) >>> (7 - (i & 7))) & 1;
  }

  /** True if a and b agree on their first n bits. */
  public static boolean samePrefix(Hash a, Hash b, int n) {
    int fullBytes = n >>> 3;
    for (int i = 0; i < fullBytes; i++) {
      if (a.byteAt(i) != b.byteAt(i)) {
        return false;
      }
    }
    int rest = n & 7;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (a.byteAt(fullBytes) & mask) == (b.byteAt(fullBytes) & mask);
  }
}
