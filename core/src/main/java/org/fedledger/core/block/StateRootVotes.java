package org.fedledger.core.block;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.StateRootVote;

/**
 * Signing and checking {@link StateRootVote}s: a validator's statement "on chain C, after height H,
 * my state root was R". The signature covers these bytes:
 *
 * <pre>
 *   "fedledger/state-root/v1"   23 bytes, ASCII: the domain, so no other signed message can pass
 *                               for a vote
 *   chain id length             4 bytes, unsigned big-endian: the number of bytes that follow
 *   chain id                    UTF-8
 *   height                      8 bytes, big-endian (the uint64 of the vote)
 *   state root                  32 bytes
 * </pre>
 *
 * The chain id is part of what is signed but not of the vote, so a vote cannot be replayed on
 * another chain.
 */
public final class StateRootVotes {
  /** The domain that starts every signed vote. */
  public static final String DOMAIN = "fedledger/state-root/v1";

  private static final byte[] DOMAIN_BYTES = DOMAIN.getBytes(StandardCharsets.US_ASCII);

  private StateRootVotes() {}

  /** The bytes a validator signs for (chainId, height, stateRoot), laid out as above. */
  public static byte[] signingBytes(String chainId, long height, Hash stateRoot) {
    Objects.requireNonNull(chainId, "chainId");
    Objects.requireNonNull(stateRoot, "stateRoot");
    byte[] chain = chainId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(DOMAIN_BYTES.length + 4 + chain.length + 8 + Hash.LENGTH)
        .put(DOMAIN_BYTES)
        .putInt(chain.length)
        .put(chain)
        .putLong(height)
        .put(stateRoot.toByteArray())
        .array();
  }

  /** The vote of key for (chainId, height, stateRoot). */
  public static StateRootVote sign(
      Ed25519KeyPair key, String chainId, long height, Hash stateRoot) {
    return StateRootVote.newBuilder()
        .setHeight(height)
        .setStateRoot(stateRoot.toByteString())
        .setValidatorPublicKey(key.publicKey().toByteString())
        .setSignature(ByteString.copyFrom(key.sign(signingBytes(chainId, height, stateRoot))))
        .build();
  }

  /**
   * True if the vote is signed by its own validator_public_key for its own height and state root on
   * chainId. False for a malformed vote (a state root that is not 32 bytes, a bad key or signature
   * length); never throws for a non-null vote. Whether that key belongs to a validator is for the
   * caller to decide.
   */
  public static boolean verify(StateRootVote vote, String chainId) {
    if (vote.getStateRoot().size() != Hash.LENGTH
        || vote.getValidatorPublicKey().size() != Ed25519PublicKey.LENGTH) {
      return false;
    }
    byte[] message = signingBytes(chainId, vote.getHeight(), Hash.of(vote.getStateRoot()));
    // A validator signs every height: its shared key keeps the decoded point between votes.
    return Ed25519PublicKey.shared(vote.getValidatorPublicKey().toByteArray())
        .verify(message, vote.getSignature().toByteArray());
  }
}
