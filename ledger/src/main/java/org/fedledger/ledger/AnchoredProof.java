package org.fedledger.ledger;

import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.BlockHeader;
import org.fedledger.ledger.state.StateProof;

/**
 * A state proof together with the header whose state root it verifies against, read atomically (no
 * block can be committed between the two).
 */
public record AnchoredProof(BlockHeader header, StateProof proof) {
  public Hash stateRoot() {
    return Hash.of(header.getStateRoot());
  }

  /** True if the proof verifies for key against this header's state root. */
  public boolean verify(byte[] key) {
    return StateProof.verify(proof, key, stateRoot());
  }
}
