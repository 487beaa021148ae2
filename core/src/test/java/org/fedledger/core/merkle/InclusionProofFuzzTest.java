package org.fedledger.core.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.tx.Mutations;
import org.junit.jupiter.api.Test;

/**
 * {@link InclusionProof#decode} on arbitrary bytes either returns the one proof whose encoding they
 * are, or throws IllegalArgumentException saying "malformed inclusion proof": nothing else.
 */
class InclusionProofFuzzTest {
  private static final List<Hash> LEAVES = leaves(5);
  private static final Hash ROOT = MerkleTree.root(LEAVES);

  @FuzzTest(maxDuration = "10m")
  void decode(byte[] data) {
    checkDecode(data);
  }

  @Test
  void randomMutationsOfValidProofsKeepTheContract() {
    Random random = new Random(20250102L);
    for (int index = 0; index < LEAVES.size(); index++) {
      byte[] valid = MerkleTree.prove(LEAVES, index).encode();
      for (int i = 0; i < 1_000; i++) {
        checkDecode(Mutations.mutate(valid, random));
      }
    }
  }

  static void checkDecode(byte[] data) {
    InclusionProof proof;
    try {
      proof = InclusionProof.decode(data);
    } catch (IllegalArgumentException e) {
      assertThat(e).hasMessageStartingWith("malformed inclusion proof: ");
      return;
    }
    assertThat(proof.encode()).isEqualTo(data);
    boolean valid = proof.verify(LEAVES.get(proof.leafIndex() % LEAVES.size()), ROOT);
    if (valid && proof.treeSize() == LEAVES.size()) {
      // Given the right tree size, only the real proofs verify. (Another size with the same path
      // shape can verify too: a root does not commit to its size, as InclusionProof says.)
      assertThat(proof).isEqualTo(MerkleTree.prove(LEAVES, proof.leafIndex()));
    }
  }

  private static List<Hash> leaves(int n) {
    List<Hash> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Sha256.hash(new byte[] {(byte) i}));
    }
    return out;
  }
}
