package org.fedledger.consensus.vote;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import org.fedledger.consensus.testing.Chains;
import org.fedledger.core.block.StateRootVotes;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.StateRootVote;
import org.junit.jupiter.api.Test;

class StateRootVoteSignerTest {
  private final Ed25519KeyPair key = Chains.keys(1, 3).get(0);
  private final Hash root = Sha256.hash(new byte[] {1, 2, 3});

  @Test
  void votesCarryTheirFieldsAndVerifyUnderCoresRule() {
    StateRootVote vote = StateRootVoteSigner.sign("chain-a", 42, root, key);
    assertThat(vote.getHeight()).isEqualTo(42);
    assertThat(vote.getStateRoot().toByteArray()).isEqualTo(root.toByteArray());
    assertThat(vote.getValidatorPublicKey().toByteArray()).isEqualTo(key.publicKey().toByteArray());
    assertThat(StateRootVotes.verify(vote, "chain-a")).isTrue();
    assertThat(StateRootVoteSigner.verify("chain-a", vote)).isTrue();
  }

  @Test
  void aVoteForAnotherChainHeightOrRootDoesNotVerify() {
    StateRootVote vote = StateRootVoteSigner.sign("chain-a", 42, root, key);
    assertThat(StateRootVoteSigner.verify("chain-b", vote)).isFalse();
    assertThat(StateRootVoteSigner.verify("chain-a", vote.toBuilder().setHeight(43).build()))
        .isFalse();
    StateRootVote otherRoot = vote.toBuilder().setStateRoot(Hash.ZERO.toByteString()).build();
    assertThat(StateRootVoteSigner.verify("chain-a", otherRoot)).isFalse();
    StateRootVote truncated =
        vote.toBuilder().setStateRoot(ByteString.copyFrom(new byte[3])).build();
    assertThat(StateRootVoteSigner.verify("chain-a", truncated)).isFalse();
  }
}
