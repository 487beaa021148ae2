package org.fedledger.node.api.view;

import java.util.Base64;
import java.util.List;
import org.fedledger.core.hash.Hash;
import org.fedledger.ledger.state.StateProof;

/**
 * A state proof with the header it is for. A client checks it with {@code StateProof.verify(
 * StateProof.fromMessage(StateProofMessage.parseFrom(base64(encoded))), key, stateRoot)} against a
 * state root it trusts (from a block header it verified), not the one in this reply.
 *
 * @param verified whether the proof verified against stateRoot on the serving node
 */
public record ProofView(
    long height,
    String stateRoot,
    String key,
    boolean present,
    String value,
    List<String> siblings,
    String otherLeafKeyHash,
    String otherLeafValueHash,
    boolean verified,
    String encoded) {

  public static ProofView of(long height, Hash stateRoot, StateProof proof) {
    return new ProofView(
        height,
        stateRoot.toHex(),
        Hex.of(proof.key()),
        proof.isInclusion(),
        Hex.of(proof.value()),
        proof.siblings().stream().map(Hash::toHex).toList(),
        proof.otherLeafKeyHash() == null ? null : proof.otherLeafKeyHash().toHex(),
        proof.otherLeafValueHash() == null ? null : proof.otherLeafValueHash().toHex(),
        StateProof.verify(proof, proof.key(), stateRoot),
        Base64.getEncoder().encodeToString(proof.toMessage().toByteArray()));
  }
}
