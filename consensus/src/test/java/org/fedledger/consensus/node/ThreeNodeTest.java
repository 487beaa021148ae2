package org.fedledger.consensus.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedledger.consensus.testing.Chains.transfer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.consensus.mempool.SubmitResult;
import org.fedledger.consensus.testing.Chains;
import org.fedledger.consensus.testing.Cluster;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.tx.TxRejection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(90)
class ThreeNodeTest {
  @TempDir Path dir;

  @Test
  void transactionsSubmittedToAFollowerCommitEverywhereWithIdenticalBlocksAndVotes()
      throws Exception {
    try (Cluster cluster = new Cluster(dir, 3, 4)) {
      cluster.startAll();
      ConsensusNode leader = cluster.awaitLeader(Duration.ofSeconds(30));
      ConsensusNode follower = cluster.aFollower();
      Chains.await(
          Duration.ofSeconds(10),
          "the follower learns the leader",
          () -> follower.leaderId().equals(java.util.Optional.of(leader.id())));

      Ed25519KeyPair alice = cluster.accounts.get(0);
      Ed25519KeyPair bob = cluster.accounts.get(1);
      Address carol = cluster.accounts.get(2).publicKey().address();
      List<byte[]> txs = new ArrayList<>();
      for (int n = 0; n < 40; n++) {
        txs.add(transfer(alice, n, carol, 3));
        txs.add(transfer(bob, n, carol, 2));
      }
      List<SubmitResult> results = follower.submit(txs);
      assertThat(results).allMatch(SubmitResult::accepted);
      // Rejections happen at the follower, before anything is forwarded.
      assertThat(follower.submit(List.of(transfer(alice, 0, carol, 99))).get(0).rejection())
          .isEqualTo(TxRejection.BAD_NONCE);

      for (ConsensusNode n : cluster.running()) {
        for (SubmitResult r : results) {
          assertThat(n.awaitCommitted(r.txHash(), Duration.ofSeconds(30)))
              .as("commit of %s on %s", r.txHash(), n.id())
              .isPresent();
        }
      }
      for (ConsensusNode n : cluster.running()) {
        assertThat(n.ledger().account(carol).balance()).isEqualTo(Chains.BALANCE + 200);
        assertThat(n.ledger().totalSupply()).isEqualTo(cluster.genesis.totalSupply());
      }

      // Every validator's vote on the first block is recorded by every node.
      long h = 1;
      Chains.await(
          Duration.ofSeconds(30),
          "votes of all three validators on height 1 recorded everywhere",
          () -> {
            for (ConsensusNode n : cluster.running()) {
              for (int v = 0; v < 3; v++) {
                if (n.ledger()
                    .stateRootVote(h, cluster.validatorKeys.get(v).publicKey())
                    .isEmpty()) {
                  return false;
                }
              }
            }
            return true;
          });
      Hash root1 = Hash.of(leader.ledger().headerByHeight(1).orElseThrow().getStateRoot());
      for (ConsensusNode n : cluster.running()) {
        for (int v = 0; v < 3; v++) {
          assertThat(n.ledger().stateRootVote(1, cluster.validatorKeys.get(v).publicKey()))
              .contains(root1);
        }
      }
      Chains.await(
          Duration.ofSeconds(20),
          "all nodes at the same height",
          () ->
              cluster.running().stream().mapToLong(ConsensusNode::height).distinct().count() == 1);
      assertThat(cluster.assertSameChain()).isGreaterThanOrEqualTo(2);
      for (ConsensusNode n : cluster.running()) {
        assertThat(n.ledger().faults()).as("faults on " + n.id()).isEmpty();
        assertThat(n.faultsReported()).isEmpty();
        assertThat(n.peers()).extracting(PeerAddress::id).containsExactly("v0", "v1", "v2");
      }
    }
  }
}
