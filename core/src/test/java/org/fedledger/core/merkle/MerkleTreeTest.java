package org.fedledger.core.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {
  private static final byte[] LEAF = {0x00};
  private static final byte[] NODE = {0x01};

  private static Hash leaf(int i) {
    return Sha256.hash(("leaf " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static List<Hash> leaves(int n) {
    List<Hash> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(leaf(i));
    }
    return out;
  }

  private static Hash h(Hash leaf) {
    return Sha256.hash(LEAF, leaf.toByteArray());
  }

  private static Hash h(Hash left, Hash right) {
    return Sha256.hash(NODE, left.toByteArray(), right.toByteArray());
  }

  /** RFC 6962's MTH, written as the RFC writes it: recursively, on sublists. */
  private static Hash reference(List<Hash> d) {
    if (d.size() == 1) {
      return h(d.get(0));
    }
    int k = Integer.highestOneBit(d.size() - 1);
    return h(reference(d.subList(0, k)), reference(d.subList(k, d.size())));
  }

  @Test
  void emptyTreeHasTheDocumentedRoot() {
    assertThat(MerkleTree.root(List.of())).isEqualTo(MerkleTree.EMPTY_ROOT).isEqualTo(Hash.ZERO);
  }

  @Test
  void smallTreesComputedByHand() {
    List<Hash> d = leaves(5);
    Hash a = h(d.get(0));
    Hash b = h(d.get(1));
    Hash c = h(d.get(2));
    Hash e = h(d.get(3));
    Hash f = h(d.get(4));

    assertThat(MerkleTree.root(d.subList(0, 1))).isEqualTo(a);
    assertThat(MerkleTree.root(d.subList(0, 2))).isEqualTo(h(a, b));
    // Three leaves: the third is carried up, not paired with itself.
    assertThat(MerkleTree.root(d.subList(0, 3))).isEqualTo(h(h(a, b), c));
    // Five leaves: a perfect tree of four, then the fifth leaf alone on the right.
    assertThat(MerkleTree.root(d)).isEqualTo(h(h(h(a, b), h(c, e)), f));
  }

  @Test
  void knownRootsPinTheByteLayout() {
    // Computed independently (Python's hashlib) from the rules in MerkleTree's javadoc.
    Hash ones = Hash.fromHex("11".repeat(32));
    Hash twos = Hash.fromHex("22".repeat(32));
    assertThat(MerkleTree.root(List.of(Hash.ZERO, ones)).toHex())
        .isEqualTo("8ab671c69294e69917042ed794e5ea9dda18710ca307a65b986226344b87552a");
    assertThat(MerkleTree.root(List.of(Hash.ZERO, ones, twos)).toHex())
        .isEqualTo("cfdd57c49cf0b23df41b9ff2fce70eed9d15fd0242a185dbdb5b918f8b140cce");
  }

  @Test
  void rootMatchesTheRecursiveDefinitionUpTo130Leaves() {
    List<Hash> all = leaves(130);
    for (int n = 1; n <= all.size(); n++) {
      assertThat(MerkleTree.root(all.subList(0, n)))
          .as("n = %d", n)
          .isEqualTo(reference(all.subList(0, n)));
    }
  }

  @Test
  void differentListsHaveDifferentRoots() {
    List<Hash> three = leaves(3);
    List<Hash> withLastRepeated = new ArrayList<>(three);
    withLastRepeated.add(three.get(2));
    List<Hash> swapped = List.of(three.get(1), three.get(0), three.get(2));

    assertThat(MerkleTree.root(withLastRepeated)).isNotEqualTo(MerkleTree.root(three));
    assertThat(MerkleTree.root(swapped)).isNotEqualTo(MerkleTree.root(three));
    // A leaf cannot pass for the node above it: the root of two leaves is not the leaf hash of
    // anything in a one-leaf tree.
    Hash pair = MerkleTree.root(three.subList(0, 2));
    assertThat(MerkleTree.root(List.of(pair))).isNotEqualTo(pair);
  }

  @Test
  void everyIndexOfEverySizeUpTo33ProvesAndVerifies() {
    List<Hash> all = leaves(33);
    for (int n = 1; n <= 33; n++) {
      List<Hash> d = all.subList(0, n);
      Hash root = MerkleTree.root(d);
      for (int i = 0; i < n; i++) {
        InclusionProof proof = MerkleTree.prove(d, i);
        assertThat(proof.verify(d.get(i), root)).as("leaf %d of %d", i, n).isTrue();
        assertThat(InclusionProof.decode(proof.encode())).isEqualTo(proof);
        assertThat(proof.siblings()).hasSize(InclusionProof.pathLength(i, n));
        if (n > 1) {
          assertThat(proof.verify(d.get((i + 1) % n), root)).as("another leaf").isFalse();
        }
      }
    }
  }

  @Test
  void tamperedProofLeafIndexSizeOrRootFails() {
    List<Hash> d = leaves(13);
    Hash root = MerkleTree.root(d);
    InclusionProof proof = MerkleTree.prove(d, 6);
    assertThat(proof.verify(d.get(6), root)).isTrue();

    assertThat(proof.verify(leaf(99), root)).isFalse();
    assertThat(proof.verify(d.get(6), leaf(99))).isFalse();
    assertThat(proof.verify(null, root)).isFalse();
    assertThat(proof.verify(d.get(6), null)).isFalse();

    // Every bit of every sibling matters.
    byte[] encoded = proof.encode();
    for (int bit = 8 * 8; bit < encoded.length * 8; bit++) {
      byte[] tampered = encoded.clone();
      tampered[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThat(InclusionProof.decode(tampered).verify(d.get(6), root))
          .as("bit %d", bit)
          .isFalse();
    }
    // The same siblings claimed for another index of the same tree: never well formed and valid.
    for (int index = 0; index < 13; index++) {
      if (index != 6 && InclusionProof.pathLength(index, 13) == proof.siblings().size()) {
        InclusionProof moved = new InclusionProof(index, 13, proof.siblings());
        assertThat(moved.verify(d.get(6), root)).as("index %d", index).isFalse();
      }
    }
    // Siblings in the wrong order.
    List<Hash> reversed = new ArrayList<>(proof.siblings());
    java.util.Collections.reverse(reversed);
    assertThat(new InclusionProof(6, 13, reversed).verify(d.get(6), root)).isFalse();
  }

  @Test
  void theRootDoesNotCommitToTheTreeSizeSoCallersCheckIt() {
    // Documented in InclusionProof: leaf 2 of 3 and leaf 1 of 2 have the same path shape.
    List<Hash> d = leaves(3);
    Hash root = MerkleTree.root(d);
    InclusionProof real = MerkleTree.prove(d, 2);
    InclusionProof claimed = new InclusionProof(1, 2, real.siblings());
    assertThat(real.verify(d.get(2), root)).isTrue();
    assertThat(claimed.verify(d.get(2), root)).isTrue();
    assertThat(claimed.treeSize()).isNotEqualTo(d.size());
  }

  @Test
  void badInputGivesClearErrors() {
    List<Hash> d = leaves(3);
    assertThatThrownBy(() -> MerkleTree.prove(d, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("leaf index 3 is out of range for a tree of 3 leaves");
    assertThatThrownBy(() -> MerkleTree.prove(d, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("leaf index -1 is out of range for a tree of 3 leaves");
    assertThatThrownBy(() -> MerkleTree.prove(List.of(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot prove inclusion in an empty tree");
    assertThatThrownBy(() -> MerkleTree.root(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be null");
    assertThatThrownBy(() -> MerkleTree.root(Arrays.asList(leaf(0), null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("leaf 1 is null");

    assertThatThrownBy(() -> new InclusionProof(0, 0, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tree size must be at least 1, got 0");
    assertThatThrownBy(() -> new InclusionProof(2, 2, List.of(leaf(0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("leaf index 2 is out of range for a tree of 2 leaves");
    assertThatThrownBy(() -> new InclusionProof(0, 4, List.of(leaf(0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("leaf 0 of 4 has 2 siblings, got 1");
    assertThatThrownBy(() -> new InclusionProof(0, 2, Arrays.asList((Hash) null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("siblings must be a list of hashes");
  }

  @Test
  void malformedEncodingsAreRejectedWithClearErrors() {
    byte[] good = MerkleTree.prove(leaves(5), 4).encode();
    assertThat(good).hasSize(8 + 32);

    assertMalformed(null, "need at least 8 bytes, got null");
    assertMalformed(new byte[7], "need at least 8 bytes, got 7");
    assertMalformed(new byte[8], "tree size 0 is not in [1, 2^31 - 1]");
    assertMalformed(hexBytes("80000000" + "00000000"), "tree size 2147483648 is not in");
    assertMalformed(hexBytes("00000005" + "00000005"), "leaf index 5 is not below tree size 5");
    assertMalformed(hexBytes("00000005" + "ffffffff"), "leaf index 4294967295 is not below");
    assertMalformed(Arrays.copyOf(good, good.length - 1), "needs 1 siblings (40 bytes), got 39");
    assertMalformed(Arrays.copyOf(good, good.length + 32), "got 72 bytes");
    // A one-leaf tree has no siblings at all.
    assertThat(InclusionProof.decode(hexBytes("00000001" + "00000000")).siblings()).isEmpty();
  }

  private static void assertMalformed(byte[] encoded, String message) {
    assertThatThrownBy(() -> InclusionProof.decode(encoded))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("malformed inclusion proof: ")
        .hasMessageContaining(message);
  }

  private static byte[] hexBytes(String hex) {
    return java.util.HexFormat.of().parseHex(hex);
  }
}
