package org.fedledger.core.merkle;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;

/**
 * Proof that a leaf is the leafIndex-th of a {@link MerkleTree} of treeSize leaves: the audit path
 * of RFC 6962 section 2.1.1, siblings listed from the leaf upwards, verified as RFC 9162 section
 * 2.1.3.2 does.
 *
 * <p>A root does not commit to its tree's size, and trees of different sizes can share a path shape
 * (leaf 1 of 2 and leaf 2 of 3 both hash one left sibling with the leaf). So check {@link
 * #treeSize()} against an authenticated count, such as the block header's tx_count, before trusting
 * {@link #leafIndex()}; given the right size, a proof for any other index fails.
 *
 * <p>An instance is always well formed: the index is in range and the number of siblings is the one
 * the index and size imply. Wire encoding ({@link #encode()}):
 *
 * <pre>
 *   tree_size   4 bytes, unsigned big-endian, 1 .. 2^31 - 1
 *   leaf_index  4 bytes, unsigned big-endian, below tree_size
 *   siblings    32 bytes each, from the leaf upwards; their count is implied by the two numbers
 * </pre>
 *
 * There is exactly one encoding per proof, and nothing may follow it.
 *
 * @param leafIndex position of the leaf, from 0
 * @param treeSize number of leaves in the tree
 * @param siblings the audit path, from the leaf upwards
 */
public record InclusionProof(int leafIndex, int treeSize, List<Hash> siblings) {
  private static final int HEADER_BYTES = 8;

  /** Checks the proof is well formed; the list is copied. */
  public InclusionProof {
    if (treeSize < 1) {
      throw new IllegalArgumentException("tree size must be at least 1, got " + treeSize);
    }
    if (leafIndex < 0 || leafIndex >= treeSize) {
      throw new IllegalArgumentException(
          "leaf index " + leafIndex + " is out of range for a tree of " + treeSize + " leaves");
    }
    if (siblings == null || siblings.stream().anyMatch(Objects::isNull)) {
      throw new IllegalArgumentException("siblings must be a list of hashes, got " + siblings);
    }
    int expected = pathLength(leafIndex, treeSize);
    if (siblings.size() != expected) {
      throw new IllegalArgumentException(
          "leaf "
              + leafIndex
              + " of "
              + treeSize
              + " has "
              + expected
              + " siblings, got "
              + siblings.size());
    }
    siblings = List.copyOf(siblings);
  }

  /**
   * True if leaf (the 32-byte leaf value, not its leaf hash) is at leafIndex in a tree of treeSize
   * leaves with this root; see the class comment on checking treeSize.
   */
  public boolean verify(Hash leaf, Hash root) {
    if (leaf == null || root == null) {
      return false;
    }
    MessageDigest digest = Sha256.threadDigest();
    // buffer: [sibling or running hash | running hash or sibling]; the running hash ends in r.
    byte[] buffer = new byte[2 * Hash.LENGTH];
    byte[] r = new byte[Hash.LENGTH];
    leaf.copyInto(r, 0);
    MerkleTree.hashLeaf(digest, r, 0);
    long fn = leafIndex;
    long sn = treeSize - 1L;
    for (Hash sibling : siblings) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        sibling.copyInto(buffer, 0);
        System.arraycopy(r, 0, buffer, Hash.LENGTH, Hash.LENGTH);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        System.arraycopy(r, 0, buffer, 0, Hash.LENGTH);
        sibling.copyInto(buffer, Hash.LENGTH);
      }
      digest.update(MerkleTree.NODE_PREFIX);
      digest.update(buffer);
      MerkleTree.finish(digest, r, 0);
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && Arrays.equals(r, root.toByteArray());
  }

  /** The wire form described above. */
  public byte[] encode() {
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + siblings.size() * Hash.LENGTH);
    out.putInt(treeSize).putInt(leafIndex);
    for (Hash h : siblings) {
      out.put(h.toByteArray());
    }
    return out.array();
  }

  /**
   * Reads the wire form described above.
   *
   * @throws IllegalArgumentException with a message starting "malformed inclusion proof" for
   *     anything but exactly one well-formed proof
   */
  public static InclusionProof decode(byte[] encoded) {
    if (encoded == null || encoded.length < HEADER_BYTES) {
      throw malformed(
          "need at least "
              + HEADER_BYTES
              + " bytes, got "
              + (encoded == null ? "null" : encoded.length));
    }
    ByteBuffer in = ByteBuffer.wrap(encoded);
    long treeSize = Integer.toUnsignedLong(in.getInt());
    long leafIndex = Integer.toUnsignedLong(in.getInt());
    if (treeSize < 1 || treeSize > Integer.MAX_VALUE) {
      throw malformed("tree size " + treeSize + " is not in [1, 2^31 - 1]");
    }
    if (leafIndex >= treeSize) {
      throw malformed("leaf index " + leafIndex + " is not below tree size " + treeSize);
    }
    int count = pathLength((int) leafIndex, (int) treeSize);
    int expectedBytes = HEADER_BYTES + count * Hash.LENGTH;
    if (encoded.length != expectedBytes) {
      throw malformed(
          "leaf "
              + leafIndex
              + " of "
              + treeSize
              + " needs "
              + count
              + " siblings ("
              + expectedBytes
              + " bytes), got "
              + encoded.length
              + " bytes");
    }
    List<Hash> siblings = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      siblings.add(
          Hash.of(
              Arrays.copyOfRange(
                  encoded, HEADER_BYTES + i * Hash.LENGTH, HEADER_BYTES + (i + 1) * Hash.LENGTH)));
    }
    return new InclusionProof((int) leafIndex, (int) treeSize, siblings);
  }

  /** The number of siblings on the path of leaf index in a tree of size leaves. */
  static int pathLength(int index, int size) {
    int length = 0;
    while (size > 1) {
      int k = MerkleTree.largestPowerOfTwoBelow(size);
      if (index < k) {
        size = k;
      } else {
        index -= k;
        size -= k;
      }
      length++;
    }
    return length;
  }

  private static IllegalArgumentException malformed(String why) {
    return new IllegalArgumentException("malformed inclusion proof: " + why);
  }
}
