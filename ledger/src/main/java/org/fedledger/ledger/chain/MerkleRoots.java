package org.fedledger.ledger.chain;

import java.util.List;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;

/**
 * The Merkle root of a block's ordered list of hashes (transaction hashes, receipt hashes), after
 * RFC 6962: leaf = SHA-256(0x00 ‖ h), node = SHA-256(0x01 ‖ left ‖ right), the left subtree holding
 * the largest power of two below n; the root of an empty list is 32 zero bytes.
 *
 * <p>Kept here until core publishes its Merkle tree; then block roots should use core's rule so
 * that inclusion proofs from core verify against headers.
 */
public final class MerkleRoots {
  private static final byte[] LEAF = {0x00};
  private static final byte[] NODE = {0x01};

  private MerkleRoots() {}

  public static Hash root(List<Hash> items) {
    if (items.isEmpty()) {
      return Hash.ZERO;
    }
    Hash[] level = new Hash[items.size()];
    for (int i = 0; i < level.length; i++) {
      level[i] = Sha256.hash(LEAF, items.get(i).toByteArray());
    }
    return subtree(level, 0, level.length);
  }

  private static Hash subtree(Hash[] leaves, int from, int to) {
    int n = to - from;
    if (n == 1) {
      return leaves[from];
    }
    int k = Integer.highestOneBit(n - 1);
    return Sha256.hash(
        NODE,
        subtree(leaves, from, from + k).toByteArray(),
        subtree(leaves, from + k, to).toByteArray());
  }
}
