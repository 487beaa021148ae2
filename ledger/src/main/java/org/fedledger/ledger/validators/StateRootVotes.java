package org.fedledger.ledger.validators;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import org.fedledger.core.crypto.Ed25519;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.StateRootVote;
import org.fedledger.ledger.module.Bytes;

/**
 * TRANSITIONAL: the state-root vote layout chain.proto documented before core's {@link
 * org.fedledger.core.block.StateRootVotes} existed: "fedledger/state-root/v1" ‖ chain_id (UTF-8, no
 * length) ‖ height (8 bytes, big-endian) ‖ state_root. The consensus module still signs this way,
 * so the validators module accepts it besides core's layout. New code signs and verifies with
 * core's class; delete this one (and its use in {@link ValidatorsModule}) once nothing signs the
 * old way.
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

  public static StateRootVote sign(
      Ed25519KeyPair key, String chainId, long height, Hash stateRoot) {
    return StateRootVote.newBuilder()
        .setHeight(height)
        .setStateRoot(ByteString.copyFrom(stateRoot.toByteArray()))
        .setValidatorPublicKey(ByteString.copyFrom(key.publicKey().toByteArray()))
        .setSignature(ByteString.copyFrom(key.sign(signingBytes(chainId, height, stateRoot))))
        .build();
  }

  /** True if the vote's signature is valid in the old layout; false if malformed. */
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
