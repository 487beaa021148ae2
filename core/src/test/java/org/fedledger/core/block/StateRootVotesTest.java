package org.fedledger.core.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.StateRootVote;
import org.junit.jupiter.api.Test;

class StateRootVotesTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final Ed25519KeyPair VALIDATOR =
      Ed25519KeyPair.fromSeedHex(
          "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  private static final Hash ROOT = Hash.fromHex("ab".repeat(32));

  @Test
  void signingBytesFollowTheDocumentedLayout() {
    byte[] bytes = StateRootVotes.signingBytes("fed-1", 0x0102030405060708L, ROOT);

    assertThat(HEX.formatHex(bytes))
        .isEqualTo(
            HEX.formatHex(
                    "fedledger/state-root/v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                + "00000005" // chain id length
                + HEX.formatHex("fed-1".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "0102030405060708" // height
                + "ab".repeat(32)); // state root
    assertThat(bytes).hasSize(23 + 4 + 5 + 8 + 32);
  }

  @Test
  void chainIdIsUtf8AndHeightIsUnsigned() {
    byte[] bytes = StateRootVotes.signingBytes("é", -1L, ROOT);
    assertThat(HEX.formatHex(bytes, 23, 23 + 4 + 2 + 8))
        .isEqualTo("00000002" + "c3a9" + "ff".repeat(8));
  }

  @Test
  void theLengthPrefixSeparatesChainIdFromHeight() {
    // Without it, chain "a" at one height and chain "a\0..." at another could sign the same bytes
    // when the chain id's tail looks like a height.
    assertThat(StateRootVotes.signingBytes("a", 0, ROOT))
        .isNotEqualTo(StateRootVotes.signingBytes("a\0", 0, ROOT))
        .hasSize(StateRootVotes.signingBytes("a\0", 0, ROOT).length - 1);
  }

  @Test
  void aSignedVoteVerifiesOnItsChainOnly() {
    StateRootVote vote = StateRootVotes.sign(VALIDATOR, "fed-1", 42, ROOT);

    assertThat(vote.getHeight()).isEqualTo(42);
    assertThat(vote.getStateRoot().toByteArray()).isEqualTo(ROOT.toByteArray());
    assertThat(vote.getValidatorPublicKey().toByteArray())
        .isEqualTo(VALIDATOR.publicKey().toByteArray());
    assertThat(StateRootVotes.verify(vote, "fed-1")).isTrue();
    assertThat(StateRootVotes.verify(vote, "fed-2")).isFalse();
    assertThat(StateRootVotes.verify(vote, "")).isFalse();
  }

  @Test
  void aSignatureIsAPinnedValue() {
    // Ed25519 is deterministic: this pins the whole layout, for other implementations to check.
    StateRootVote vote = StateRootVotes.sign(VALIDATOR, "fed-1", 42, ROOT);
    assertThat(HEX.formatHex(vote.getSignature().toByteArray()))
        .isEqualTo(HEX.formatHex(VALIDATOR.sign(StateRootVotes.signingBytes("fed-1", 42, ROOT))));
    assertThat(HEX.formatHex(vote.getSignature().toByteArray())).isEqualTo(PINNED_SIGNATURE);
  }

  /** Computed independently (a short textbook Ed25519 in Python) from the documented layout. */
  private static final String PINNED_SIGNATURE =
      "cd866dc7957912fe2f56936d97c7056e6e4b9b77144bb214a23327e79b41c8ed"
          + "883229a5a38952dee58bd2ea9688ab7205a03fecf07971ce48cb2d30be0bdd02";

  @Test
  void anyChangeToTheVoteBreaksIt() {
    StateRootVote vote = StateRootVotes.sign(VALIDATOR, "fed-1", 42, ROOT);
    Ed25519KeyPair other = Ed25519KeyPair.fromSeed(new byte[32]);

    assertThat(StateRootVotes.verify(vote.toBuilder().setHeight(43).build(), "fed-1")).isFalse();
    assertThat(
            StateRootVotes.verify(
                vote.toBuilder().setStateRoot(ByteString.copyFrom(new byte[32])).build(), "fed-1"))
        .isFalse();
    assertThat(
            StateRootVotes.verify(
                vote.toBuilder().setValidatorPublicKey(other.publicKey().toByteString()).build(),
                "fed-1"))
        .isFalse();
    byte[] sig = vote.getSignature().toByteArray();
    sig[10] ^= 1;
    assertThat(
            StateRootVotes.verify(
                vote.toBuilder().setSignature(ByteString.copyFrom(sig)).build(), "fed-1"))
        .isFalse();
  }

  @Test
  void malformedVotesAreInvalidNotErrors() {
    StateRootVote vote = StateRootVotes.sign(VALIDATOR, "fed-1", 42, ROOT);
    assertThat(StateRootVotes.verify(StateRootVote.getDefaultInstance(), "fed-1")).isFalse();
    assertThat(
            StateRootVotes.verify(
                vote.toBuilder().setStateRoot(ByteString.copyFrom(new byte[31])).build(), "fed-1"))
        .isFalse();
    assertThat(
            StateRootVotes.verify(
                vote.toBuilder().setValidatorPublicKey(ByteString.copyFrom(new byte[33])).build(),
                "fed-1"))
        .isFalse();
    assertThat(
            StateRootVotes.verify(
                vote.toBuilder().setSignature(ByteString.copyFrom(new byte[63])).build(), "fed-1"))
        .isFalse();
    assertThatThrownBy(() -> StateRootVotes.signingBytes(null, 1, ROOT))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("chainId");
  }
}
