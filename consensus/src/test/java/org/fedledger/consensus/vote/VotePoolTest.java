package org.fedledger.consensus.vote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.fedledger.consensus.testing.Chains;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.StateRootVote;
import org.junit.jupiter.api.Test;

class VotePoolTest {
  private final List<Ed25519KeyPair> keys = Chains.keys(2, 4);

  private StateRootVote vote(int validator, long height) {
    return StateRootVoteSigner.sign("c", height, Hash.ZERO, keys.get(validator));
  }

  @Test
  void keepsOneVotePerHeightAndValidatorOldestFirst() {
    VotePool pool = new VotePool(10);
    pool.add(vote(0, 5));
    pool.add(vote(0, 5));
    pool.add(vote(1, 5));
    pool.add(vote(0, 3));
    assertThat(pool.size()).isEqualTo(3);
    assertThat(pool.take(2)).extracting(StateRootVote::getHeight).containsExactly(3L, 5L);
    assertThat(pool.take(10)).hasSize(1);
    assertThat(pool.size()).isZero();
  }

  @Test
  void dropsTheOldestWhenFull() {
    VotePool pool = new VotePool(2);
    pool.add(vote(0, 1));
    pool.add(vote(0, 2));
    pool.add(vote(0, 3));
    assertThat(pool.take(10)).extracting(StateRootVote::getHeight).containsExactly(2L, 3L);
  }

  @Test
  void onlyVotesOnBlocksWithTransactionsAreUrgent() {
    VotePool pool = new VotePool(10);
    assertThat(pool.hasUrgent()).isFalse();
    pool.noteEmptyBlock(2);
    pool.add(vote(0, 2));
    assertThat(pool.hasUrgent()).as("a vote on a votes-only block waits").isFalse();
    pool.add(vote(1, 1));
    assertThat(pool.hasUrgent()).as("a late vote on a block with transactions").isTrue();
  }

  @Test
  void refusesANonPositiveCapacity() {
    assertThatThrownBy(() -> new VotePool(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
