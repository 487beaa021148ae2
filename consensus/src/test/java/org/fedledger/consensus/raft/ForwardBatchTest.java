package org.fedledger.consensus.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.apache.ratis.server.protocol.TermIndex;
import org.fedledger.consensus.testing.Chains;
import org.fedledger.consensus.vote.StateRootVoteSigner;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.StateRootVote;
import org.junit.jupiter.api.Test;

class ForwardBatchTest {
  @Test
  void roundTripsTransactionsAndVotes() throws IOException {
    StateRootVote vote = StateRootVoteSigner.sign("c", 9, Hash.ZERO, Chains.keys(1, 5).get(0));
    ForwardBatch batch = new ForwardBatch(List.of(new byte[] {1, 2}, new byte[0]), List.of(vote));
    byte[] bytes = batch.encode();
    assertThat(ForwardBatch.looksLikeForward(bytes)).isTrue();
    ForwardBatch back = ForwardBatch.decode(bytes);
    assertThat(back.txs()).hasSize(2);
    assertThat(back.txs().get(0)).containsExactly(1, 2);
    assertThat(back.votes()).containsExactly(vote);
  }

  @Test
  void refusesGarbageAndTruncation() {
    assertThat(ForwardBatch.looksLikeForward(new byte[] {1})).isFalse();
    assertThatThrownBy(() -> ForwardBatch.decode(new byte[] {'F', 1, 0x7f, 0, 0, 0}))
        .isInstanceOf(IOException.class);
    byte[] good = new ForwardBatch(List.of(new byte[100]), List.of()).encode();
    assertThatThrownBy(() -> ForwardBatch.decode(java.util.Arrays.copyOf(good, 50)))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> ForwardBatch.decode(new byte[] {'X', 1}))
        .isInstanceOf(IOException.class);
  }

  @Test
  void markersRoundTripAndRejectWrongLengths() {
    assertThat(ConsensusMarker.decode(ConsensusMarker.encode(3, 77)))
        .isEqualTo(TermIndex.valueOf(3, 77));
    assertThat(ConsensusMarker.decode(new byte[0])).isNull();
    assertThatThrownBy(() -> ConsensusMarker.decode(new byte[5]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
