package org.fedledger.ledger.validators;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import org.fedledger.core.crypto.Ed25519;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.StateRootVote;
import org.fedledger.ledger.module.Bytes;

/**
 * Signing and checking {@link StateRootVote}s. The signed bytes are "fedledger/state-root/v1" ‖
 * chain_id (UTF-8) ‖ height (8 bytes, big-endian) ‖ state_root (32 bytes), as chain.proto says.
 */
public final class StateRootVotes {
  private static final byte[] DOMAIN = "fedledger/state-root/v1".getBytes(StandardCharsets.UTF_8);

  private StateRootVotes() {}

  public static byte[] signingBytes(String chainId, long height, Hash stateRoot) {
    return Bytes.concat(
        DOMAIN,
        chainId.getBytes(StandardCharsets.UTF_8),
        Bytes.ofLong(height),
        stateRoot.toByteArray());
  }

  /** The vote of key for (chainId, height, stateRoot). */
  public static StateRootVote sign(
      Ed25519KeyPair key, String chainId, long height, Hash stateRoot) {
    return StateRootVote.newBuilder()
        .setHeight(height)
        .setStateRoot(ByteString.copyFrom(stateRoot.toByteArray()))
        .setValidatorPublicKey(ByteString.copyFrom(key.publicKey().toByteArray()))
        .setSignature(ByteString.copyFrom(key.sign(signingBytes(chainId, height, stateRoot))))
        .build();
  }

  /** True if the vote's signature is valid for its own fields on chainId; false if malformed. */
  public static boolean hasValidSignature(StateRootVote vote, String chainId) {
    if (vote.getStateRoot().size() != Hash.LENGTH) {
      return false;
    }
    byte[] message =
        signingBytes(chainId, vote.getHeight(), Hash.of(vote.getStateRoot().toByteArray()));
    return Ed25519.verify(
        vote.getValidatorPublicKey().toByteArray(), message, vote.getSignature().toByteArray());
  }
}
