package org.fedledger.consensus.vote;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.fedledger.core.crypto.Ed25519;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.StateRootVote;

/**
 * Signs and checks state-root votes with the byte layout of chain.proto: "fedledger/state-root/v1"
 * || chain_id (UTF-8) || height (8 bytes, big-endian) || state_root.
 */
public final class StateRootVoteSigner {
  private static final byte[] DOMAIN = "fedledger/state-root/v1".getBytes(StandardCharsets.UTF_8);

  private StateRootVoteSigner() {}

  public static byte[] signingBytes(String chainId, long height, byte[] stateRoot) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(DOMAIN.length + 64 + stateRoot.length);
    out.writeBytes(DOMAIN);
    out.writeBytes(chainId.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(ByteBuffer.allocate(Long.BYTES).putLong(height).array());
    out.writeBytes(stateRoot);
    return out.toByteArray();
  }

  public static StateRootVote sign(
      String chainId, long height, Hash stateRoot, Ed25519KeyPair key) {
    byte[] root = stateRoot.toByteArray();
    return StateRootVote.newBuilder()
        .setHeight(height)
        .setStateRoot(ByteString.copyFrom(root))
        .setValidatorPublicKey(ByteString.copyFrom(key.publicKey().toByteArray()))
        .setSignature(ByteString.copyFrom(key.sign(signingBytes(chainId, height, root))))
        .build();
  }

  /** True if the vote's signature is valid for its own fields under chainId. */
  public static boolean verify(String chainId, StateRootVote vote) {
    return Ed25519.verify(
        vote.getValidatorPublicKey().toByteArray(),
        signingBytes(chainId, vote.getHeight(), vote.getStateRoot().toByteArray()),
        vote.getSignature().toByteArray());
  }
}
