package org.fedledger.consensus.vote;

import org.fedledger.core.block.StateRootVotes;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.StateRootVote;

/**
 * Signs and checks state-root votes. The byte layout is core's ({@link StateRootVotes}): one rule
 * for every signer and every verifier, so that the ledger records what consensus signs.
 */
public final class StateRootVoteSigner {
  private StateRootVoteSigner() {}

  public static StateRootVote sign(
      String chainId, long height, Hash stateRoot, Ed25519KeyPair key) {
    return StateRootVotes.sign(key, chainId, height, stateRoot);
  }

  /** True if the vote's signature is valid for its own fields under chainId. */
  public static boolean verify(String chainId, StateRootVote vote) {
    return StateRootVotes.verify(vote, chainId);
  }
}
