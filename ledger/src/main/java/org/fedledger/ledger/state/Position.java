package org.fedledger.ledger.state;

import java.util.Arrays;
import org.fedledger.core.hash.Hash;

/**
 * Where a node sits in the tree: its depth and the first depth bits of the path, as a 34-byte store
 * key (depth as 2 bytes big-endian, then the 32-byte path with the bits below depth cleared).
 * Storing nodes by position rather than by hash means a block overwrites the nodes it changes and
 * the store holds exactly one tree, the current one.
 */
final class Position {
  /** Deepest depth whose path bits {@link #prefix} can return as an index. */
  static final int MAX_PREFIX_DEPTH = 24;

  private final byte[] key;
  private final int hashCode;

  private Position(byte[] key) {
    this.key = key;
    this.hashCode = spread(key);
  }

  /**
   * A hash code from the depth and the first 64 path bits, mixed. Arrays.hashCode is a poor fit:
   * shallow positions are mostly zero bytes and collide in the low bits hash tables index by.
   */
  private static int spread(byte[] key) {
    long x = 0;
    for (int i = 2; i < 10; i++) {
      x = (x << 8) | (key[i] & 0xff);
    }
    x ^= (((key[0] & 0xffL) << 8) | (key[1] & 0xffL)) * 0x9E3779B97F4A7C15L;
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    return (int) (x ^ (x >>> 32));
  }

  /** The position at depth on the path of (any key whose hash is) path. */
  static Position of(int depth, Hash path) {
    return new Position(keyOf(depth, path));
  }

  private static byte[] keyOf(int depth, Hash path) {
    byte[] k = new byte[2 + Hash.LENGTH];
    k[0] = (byte) (depth >>> 8);
    k[1] = (byte) depth;
    int fullBytes = depth >>> 3;
    for (int i = 0; i < fullBytes; i++) {
      k[2 + i] = path.byteAt(i);
    }
    int rest = depth & 7;
    if (rest != 0) {
      k[2 + fullBytes] = (byte) (path.byteAt(fullBytes) & (0xff << (8 - rest)));
    }
    return k;
  }

  /** The smallest store key of any position at depth: the start of that depth's key range. */
  static byte[] firstKeyAt(int depth) {
    return keyOf(depth, Hash.ZERO);
  }

  /** The position a store key names; anything but a 34-byte key of depth ≤ 256 is corrupt data. */
  static Position fromKey(byte[] key) {
    if (key.length != 2 + Hash.LENGTH) {
      throw new IllegalStateException(
          "a state-tree key of " + key.length + " bytes; the data directory is corrupt");
    }
    Position p = new Position(key.clone());
    if (p.depth() > TreeHashing.DEPTH) {
      throw new IllegalStateException(
          "a state-tree key of depth " + p.depth() + "; the data directory is corrupt");
    }
    return p;
  }

  /** The child at depth + 1 on side bit (0 left, 1 right) of the position at depth on path. */
  static Position child(int depth, Hash path, int bit) {
    byte[] k = keyOf(depth + 1, path);
    int byteIndex = 2 + (depth >>> 3);
    int mask = 0x80 >>> (depth & 7);
    if (bit == 0) {
      k[byteIndex] &= (byte) ~mask;
    } else {
      k[byteIndex] |= (byte) mask;
    }
    return new Position(k);
  }

  /** The first depth bits of path as a number in [0, 2^depth), for depth ≤ 24: a level's index. */
  static int prefix(Hash path, int depth) {
    return prefixOf(path.byteAt(0), path.byteAt(1), path.byteAt(2), depth);
  }

  /** This position's path bits as {@link #prefix(Hash, int)} numbers them; depth ≤ 24. */
  int prefix() {
    return prefixOf(key[2], key[3], key[4], depth());
  }

  private static int prefixOf(byte b0, byte b1, byte b2, int depth) {
    if (depth > MAX_PREFIX_DEPTH) {
      throw new IllegalArgumentException("a prefix index holds at most 24 bits, not " + depth);
    }
    int top = ((b0 & 0xff) << 16) | ((b1 & 0xff) << 8) | (b2 & 0xff);
    return depth == 0 ? 0 : top >>> (MAX_PREFIX_DEPTH - depth);
  }

  int depth() {
    return ((key[0] & 0xff) << 8) | (key[1] & 0xff);
  }

  byte[] key() {
    return key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Position p && Arrays.equals(key, p.key);
  }

  @Override
  public int hashCode() {
    return hashCode;
  }
}
