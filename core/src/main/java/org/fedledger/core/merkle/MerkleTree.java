package org.fedledger.core.merkle;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;

/**
 * The Merkle tree hash of RFC 6962 (Certificate Transparency), section 2.1, over a list of 32-byte
 * hashes; a block's tx_root and receipts_root are such roots.
 *
 * <ul>
 *   <li>leaf: {@code SHA-256(0x00 || leaf)} for each 32-byte leaf, in list order;
 *   <li>node: {@code SHA-256(0x01 || left || right)};
 *   <li>n &gt; 1 leaves: the left subtree holds the first k leaves, where k is the largest power of
 *       two below n, and the right subtree the rest. So a node without a partner is never hashed
 *       with itself or padded: it is carried up unchanged until it meets a subtree of its own size
 *       or the root. (Bitcoin's duplicate-the-last-node rule gives two lists the same root; this
 *       one cannot.)
 *   <li>no leaves: {@link #EMPTY_ROOT}, 32 zero bytes. RFC 6962 uses SHA-256 of the empty string;
 *       fedledger uses the same "nothing here" constant as its state tree. No list of leaves has it
 *       as a root, as that would need a SHA-256 preimage of zero.
 * </ul>
 *
 * <p>The prefixes keep a leaf from passing for a node: without them a 64-byte pair of hashes could
 * be presented as a leaf of a shorter tree with the same root.
 */
public final class MerkleTree {
  /** The root of an empty list: 32 zero bytes. */
  public static final Hash EMPTY_ROOT = Hash.ZERO;

  static final byte LEAF_PREFIX = 0x00;
  static final byte NODE_PREFIX = 0x01;

  /** The subtree roots still waiting for a partner: at most one per bit of an int size. */
  private static final int MAX_PENDING = Integer.SIZE;

  private MerkleTree() {}

  /**
   * The root of the tree over leaves, in order. Runs in one pass with a fixed 1 KiB buffer: no
   * allocation per leaf, so it is cheap on every block.
   */
  public static Hash root(List<Hash> leaves) {
    requireLeaves(leaves);
    if (leaves.isEmpty()) {
      return EMPTY_ROOT;
    }
    return subtreeRoot(leaves, 0, leaves.size());
  }

  /**
   * The proof that leaves[index] is in the tree over leaves.
   *
   * @throws IllegalArgumentException if leaves is empty or index is out of range
   */
  public static InclusionProof prove(List<Hash> leaves, int index) {
    requireLeaves(leaves);
    if (leaves.isEmpty()) {
      throw new IllegalArgumentException("cannot prove inclusion in an empty tree");
    }
    if (index < 0 || index >= leaves.size()) {
      throw new IllegalArgumentException(
          "leaf index " + index + " is out of range for a tree of " + leaves.size() + " leaves");
    }
    // RFC 6962's PATH(m, D[lo:hi]), walked from the root down; the proof lists it bottom-up.
    List<Hash> topDown = new ArrayList<>();
    int lo = 0;
    int hi = leaves.size();
    while (hi - lo > 1) {
      int split = lo + largestPowerOfTwoBelow(hi - lo);
      if (index < split) {
        topDown.add(subtreeRoot(leaves, split, hi));
        hi = split;
      } else {
        topDown.add(subtreeRoot(leaves, lo, split));
        lo = split;
      }
    }
    Collections.reverse(topDown);
    return new InclusionProof(index, leaves.size(), topDown);
  }

  /** The largest power of two strictly below n, for n >= 2. */
  static int largestPowerOfTwoBelow(int n) {
    return Integer.highestOneBit(n - 1);
  }

  /**
   * Root of leaves[from, to), non-empty. Leaves are read left to right; each completed perfect
   * subtree is merged with its left neighbour of the same size, as in a binary counter. What is
   * left at the end are perfect subtrees of decreasing size, which RFC 6962's split folds from the
   * right.
   */
  private static Hash subtreeRoot(List<Hash> leaves, int from, int to) {
    MessageDigest digest = Sha256.threadDigest();
    byte[] pending = new byte[MAX_PENDING * Hash.LENGTH];
    int top = 0;
    for (int i = from; i < to; i++) {
      Hash leaf = leaves.get(i);
      if (leaf == null) {
        throw new IllegalArgumentException("leaf " + i + " is null");
      }
      leaf.copyInto(pending, top * Hash.LENGTH);
      hashLeaf(digest, pending, top * Hash.LENGTH);
      top++;
      for (int done = i - from + 1; (done & 1) == 0; done >>>= 1) {
        top--;
        hashNode(digest, pending, top - 1);
      }
    }
    while (top > 1) {
      top--;
      hashNode(digest, pending, top - 1);
    }
    byte[] root = new byte[Hash.LENGTH];
    System.arraycopy(pending, 0, root, 0, Hash.LENGTH);
    return Hash.of(root);
  }

  /** Replaces the 32 bytes at offset with their leaf hash. */
  static void hashLeaf(MessageDigest digest, byte[] buffer, int offset) {
    digest.update(LEAF_PREFIX);
    digest.update(buffer, offset, Hash.LENGTH);
    finish(digest, buffer, offset);
  }

  /** Replaces entries slot and slot + 1 of buffer with their parent, at slot. */
  private static void hashNode(MessageDigest digest, byte[] buffer, int slot) {
    digest.update(NODE_PREFIX);
    digest.update(buffer, slot * Hash.LENGTH, 2 * Hash.LENGTH);
    finish(digest, buffer, slot * Hash.LENGTH);
  }

  static void finish(MessageDigest digest, byte[] buffer, int offset) {
    try {
      digest.digest(buffer, offset, Hash.LENGTH);
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 output is 32 bytes", e);
    }
  }

  private static void requireLeaves(List<Hash> leaves) {
    if (leaves == null) {
      throw new IllegalArgumentException("leaves must not be null; an empty tree is an empty list");
    }
  }
}
