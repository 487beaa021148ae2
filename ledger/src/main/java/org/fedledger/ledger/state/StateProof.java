package org.fedledger.ledger.state;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.state.StateProofMessage;

/**
 * Proof that a key holds a value, or holds nothing, under a state root. {@link #verify} needs
 * nothing but the proof, the key and the root, so a light client can check an answer from any node
 * against a block header it trusts.
 *
 * <p>The proof is the path from the root to where the key's leaf is or would be: the sibling hashes
 * on the way down, then what is found there: the key's own leaf (inclusion), an empty subtree, or
 * the single leaf of another key sharing the path so far (both non-inclusion).
 *
 * @param key the key asked about
 * @param value the key's value, or null when the proof is of absence
 * @param siblings sibling hashes from the root downwards; their count is the depth of the end
 * @param otherLeafKeyHash for absence proven by another key's leaf: that leaf's key hash, else null
 * @param otherLeafValueHash that leaf's value hash, else null
 */
public record StateProof(
    byte[] key, byte[] value, List<Hash> siblings, Hash otherLeafKeyHash, Hash otherLeafValueHash) {

  public StateProof {
    Objects.requireNonNull(key, "key");
    siblings = List.copyOf(siblings);
    if ((otherLeafKeyHash == null) != (otherLeafValueHash == null)) {
      throw new IllegalArgumentException("other leaf needs both its key hash and value hash");
    }
    if (value != null && otherLeafKeyHash != null) {
      throw new IllegalArgumentException("an inclusion proof cannot end at another key's leaf");
    }
  }

  public boolean isInclusion() {
    return value != null;
  }

  /** The root this proof leads to; {@link #verify} compares it with a trusted root. */
  public Hash computeRoot() {
    Hash keyHash = TreeHashing.keyHash(key);
    int depth = siblings.size();
    Hash node;
    if (value != null) {
      node = TreeHashing.leaf(keyHash, TreeHashing.valueHash(value));
    } else if (otherLeafKeyHash != null) {
      node = TreeHashing.leaf(otherLeafKeyHash, otherLeafValueHash);
    } else {
      node = Hash.ZERO;
    }
    for (int i = depth - 1; i >= 0; i--) {
      Hash sibling = siblings.get(i);
      node =
          TreeHashing.bit(keyHash, i) == 0
              ? TreeHashing.internal(node, sibling)
              : TreeHashing.internal(sibling, node);
    }
    return node;
  }

  /**
   * True if the proof shows that {@code key} holds {@link #value()} (or nothing, when value is
   * null) in the state whose root is {@code root}.
   */
  public static boolean verify(StateProof proof, byte[] key, Hash root) {
    if (proof == null || key == null || root == null || !Arrays.equals(proof.key, key)) {
      return false;
    }
    int depth = proof.siblings.size();
    if (depth > TreeHashing.DEPTH) {
      return false;
    }
    if (proof.otherLeafKeyHash != null) {
      Hash keyHash = TreeHashing.keyHash(key);
      // The other leaf must really sit on this key's path, and must not be this key.
      if (proof.otherLeafKeyHash.equals(keyHash)
          || !TreeHashing.samePrefix(keyHash, proof.otherLeafKeyHash, depth)) {
        return false;
      }
    }
    return proof.computeRoot().equals(root);
  }

  public StateProofMessage toMessage() {
    StateProofMessage.Builder b =
        StateProofMessage.newBuilder().setKey(ByteString.copyFrom(key)).setPresent(value != null);
    if (value != null) {
      b.setValue(ByteString.copyFrom(value));
    }
    for (Hash s : siblings) {
      b.addSiblings(s.toByteString());
    }
    if (otherLeafKeyHash != null) {
      b.setOtherLeafKeyHash(otherLeafKeyHash.toByteString());
      b.setOtherLeafValueHash(otherLeafValueHash.toByteString());
    }
    return b.build();
  }

  /** Decodes a proof; malformed hashes are rejected with IllegalArgumentException. */
  public static StateProof fromMessage(StateProofMessage m) {
    List<Hash> siblings = new ArrayList<>(m.getSiblingsCount());
    for (ByteString s : m.getSiblingsList()) {
      siblings.add(Hash.of(s));
    }
    boolean other = !m.getOtherLeafKeyHash().isEmpty();
    return new StateProof(
        m.getKey().toByteArray(),
        m.getPresent() ? m.getValue().toByteArray() : null,
        siblings,
        other ? Hash.of(m.getOtherLeafKeyHash()) : null,
        other ? Hash.of(m.getOtherLeafValueHash()) : null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StateProof p
        && Arrays.equals(key, p.key)
        && Arrays.equals(value, p.value)
        && siblings.equals(p.siblings)
        && Objects.equals(otherLeafKeyHash, p.otherLeafKeyHash)
        && Objects.equals(otherLeafValueHash, p.otherLeafValueHash);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(key), Arrays.hashCode(value), siblings, otherLeafKeyHash);
  }

  @Override
  public String toString() {
    return "StateProof["
        + (value != null ? "inclusion" : "absence")
        + ", depth="
        + siblings.size()
        + "]";
  }
}
