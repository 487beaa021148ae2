package org.fedledger.ledger.state;

import java.util.Arrays;
import org.fedledger.core.hash.Hash;

/**
 * A stored node of the state tree: a leaf (key hash, value hash) or an internal node (left hash,
 * right hash). Encoded as one kind byte followed by the two hashes.
 */
final class Node {
  /** Marks a position to delete in a pending update; never stored. */
  static final Node DELETED = new Node(false, Hash.ZERO, Hash.ZERO);

  private static final int ENCODED_LENGTH = 1 + 2 * Hash.LENGTH;

  final boolean leaf;
  final Hash a;
  final Hash b;
  private volatile Hash hash;

  private Node(boolean leaf, Hash a, Hash b) {
    this.leaf = leaf;
    this.a = a;
    this.b = b;
  }

  static Node leaf(Hash keyHash, Hash valueHash) {
    return new Node(true, keyHash, valueHash);
  }

  static Node internal(Hash left, Hash right) {
    return new Node(false, left, right);
  }

  Hash keyHash() {
    return a;
  }

  Hash hash() {
    Hash h = hash;
    if (h == null) {
      h = leaf ? TreeHashing.leaf(a, b) : TreeHashing.internal(a, b);
      hash = h;
    }
    return h;
  }

  static Hash hashOf(Node n) {
    return n == null ? Hash.ZERO : n.hash();
  }

  byte[] encode() {
    byte[] out = new byte[ENCODED_LENGTH];
    out[0] = leaf ? TreeHashing.LEAF_PREFIX : TreeHashing.INTERNAL_PREFIX;
    a.copyInto(out, 1);
    b.copyInto(out, 1 + Hash.LENGTH);
    return out;
  }

  static Node decode(byte[] bytes) {
    if (bytes.length != ENCODED_LENGTH
        || (bytes[0] != TreeHashing.LEAF_PREFIX && bytes[0] != TreeHashing.INTERNAL_PREFIX)) {
      throw new IllegalStateException(
          "corrupt state-tree node of " + bytes.length + " bytes; restore the data directory");
    }
    Hash a = Hash.of(Arrays.copyOfRange(bytes, 1, 1 + Hash.LENGTH));
    Hash b = Hash.of(Arrays.copyOfRange(bytes, 1 + Hash.LENGTH, ENCODED_LENGTH));
    return bytes[0] == TreeHashing.LEAF_PREFIX ? leaf(a, b) : internal(a, b);
  }
}
