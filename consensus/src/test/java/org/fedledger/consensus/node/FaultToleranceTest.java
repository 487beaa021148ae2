package org.fedledger.consensus.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedledger.consensus.testing.Chains.transfer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedledger.consensus.mempool.SubmitResult;
import org.fedledger.consensus.testing.Chains;
import org.fedledger.consensus.testing.Cluster;
import org.fedledger.consensus.testing.Load;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.testkit.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Crashes, restarts, lagging nodes and membership changes, on real Ratis and real ledgers. */
@Timeout(120)
class FaultToleranceTest {
  private static final Duration COMMIT = Duration.ofSeconds(40);

  @TempDir Path dir;

  @Test
  void aValidatorCrashedUnderLoadRecoversAndNoAcknowledgedTransactionIsLost() throws Exception {
    try (Cluster cluster = new Cluster(dir, 3, 6)) {
      cluster.startAll();
      ConsensusNode leader = cluster.awaitLeader(Duration.ofSeconds(30));
      int leaderIndex = cluster.indexOf(leader);
      int victim = (leaderIndex + 1) % 3;
      int survivor = (leaderIndex + 2) % 3;
      Address sink = cluster.accounts.get(5).publicKey().address();
      int[] turn = {0};
      Load load =
          new Load(
              cluster.accounts.subList(0, 4),
              sink,
              () -> cluster.nodes[(turn[0]++ % 2 == 0) ? leaderIndex : survivor],
              120);
      load.start();
      Chains.await(COMMIT, "some load committed", () -> leader.height() >= 3);
      cluster.stop(victim); // closes its Raft server and ledger without a snapshot
      Thread.sleep(500);
      cluster.start(victim); // RECOVER: replays its log past the ledger's marker
      load.join();

      for (Hash h : load.accepted) {
        assertThat(leader.awaitCommitted(h, COMMIT)).as("commit of %s", h).isPresent();
      }
      assertThat(load.accepted).hasSize(4 * 120);
      awaitSameHeight(cluster);
      cluster.assertSameChain();
      for (ConsensusNode n : cluster.running()) {
        assertThat(n.ledger().totalSupply()).isEqualTo(cluster.genesis.totalSupply());
        assertThat(n.ledger().account(sink).balance()).isEqualTo(Chains.BALANCE + 4 * 120);
        assertThat(n.ledger().faults()).isEmpty();
      }
    }
  }

  @Test
  void allThreeValidatorsRestartAndContinueTheSameChain() throws Exception {
    try (Cluster cluster = new Cluster(dir, 3, 3)) {
      cluster.startAll();
      ConsensusNode leader = cluster.awaitLeader(Duration.ofSeconds(30));
      Ed25519KeyPair alice = cluster.accounts.get(0);
      Address bob = cluster.accounts.get(1).publicKey().address();
      List<byte[]> txs = new ArrayList<>();
      for (int n = 0; n < 20; n++) {
        txs.add(transfer(alice, n, bob, 1));
      }
      List<SubmitResult> results = leader.submit(txs);
      for (SubmitResult r : results) {
        assertThat(leader.awaitCommitted(r.txHash(), COMMIT)).isPresent();
      }
      awaitSameHeight(cluster);
      long height = cluster.assertSameChain();
      Hash tip = leader.ledger().lastBlockHash();

      for (int i = 0; i < 3; i++) {
        cluster.stop(i);
      }
      cluster.startAll();
      ConsensusNode newLeader = cluster.awaitLeader(Duration.ofSeconds(30));
      for (ConsensusNode n : cluster.running()) {
        assertThat(n.height()).isGreaterThanOrEqualTo(height);
        assertThat(
                org.fedledger.core.hash.Sha256.hash(
                    n.ledger().blockByHeight(height).orElseThrow().getHeader().toByteArray()))
            .isEqualTo(tip);
      }
      SubmitResult next = newLeader.submit(List.of(transfer(alice, 20, bob, 1))).get(0);
      assertThat(next.accepted()).as(next.message()).isTrue();
      for (ConsensusNode n : cluster.running()) {
        assertThat(n.awaitCommitted(next.txHash(), COMMIT)).isPresent();
        assertThat(n.ledger().account(bob).balance()).isEqualTo(Chains.BALANCE + 21);
      }
      cluster.assertSameChain();
    }
  }

  @Test
  void aNodeThatMissedManyBlocksCatchesUpByInstallingASnapshot() throws Exception {
    Map<String, String> smallSegments =
        Map.of(
            "raft.server.log.segment.size.max", "16KB",
            "raft.server.log.preallocated.size", "16KB");
    try (Cluster cluster = new Cluster(dir, 3, 3, smallSegments)) {
      cluster.startAll();
      ConsensusNode leader = cluster.awaitLeader(Duration.ofSeconds(30));
      int leaderIndex = cluster.indexOf(leader);
      int lagging = (leaderIndex + 1) % 3;
      cluster.stop(lagging);

      Ed25519KeyPair alice = cluster.accounts.get(0);
      Address bob = cluster.accounts.get(1).publicKey().address();
      // Small batches, each its own block: the log grows past many 16 KB segments.
      SubmitResult last = null;
      for (int n = 0; n < 120; n++) {
        last = leader.submit(List.of(transfer(alice, n, bob, 1))).get(0);
        assertThat(last.accepted()).as(last.message()).isTrue();
        if (n % 40 == 39) {
          assertThat(leader.awaitCommitted(last.txHash(), COMMIT)).isPresent();
        }
      }
      assertThat(leader.awaitCommitted(last.txHash(), COMMIT)).isPresent();
      long snapshotIndex = leader.takeSnapshot(Duration.ofSeconds(30));
      assertThat(snapshotIndex).isPositive();
      long leaderHeight = leader.height();

      ConsensusNode restarted = cluster.start(lagging);
      Chains.await(
          Duration.ofSeconds(60),
          "the lagging node reaches the leader's height",
          () -> restarted.height() >= leaderHeight);
      Chains.await(
          Duration.ofSeconds(10),
          "caught up through a snapshot, since the leader purged its log",
          () -> restarted.stateReloads() > 0);
      assertThat(restarted.ledger().account(bob).balance()).isEqualTo(Chains.BALANCE + 120);

      SubmitResult more = restarted.submit(List.of(transfer(alice, 120, bob, 1))).get(0);
      assertThat(more.accepted()).as(more.message()).isTrue();
      for (ConsensusNode n : cluster.running()) {
        assertThat(n.awaitCommitted(more.txHash(), COMMIT)).isPresent();
      }
      awaitSameHeight(cluster);
      cluster.assertSameChain();
    }
  }

  @Test
  void aFourthValidatorJoinsAndAnotherLeaves() throws Exception {
    try (Cluster cluster = new Cluster(dir, 3, 3)) {
      cluster.startAll();
      ConsensusNode leader = cluster.awaitLeader(Duration.ofSeconds(30));
      Ed25519KeyPair alice = cluster.accounts.get(0);
      Address bob = cluster.accounts.get(1).publicKey().address();
      SubmitResult first = leader.submit(List.of(transfer(alice, 0, bob, 1))).get(0);
      assertThat(leader.awaitCommitted(first.txHash(), COMMIT)).isPresent();

      PeerAddress fourth = new PeerAddress("v3", "127.0.0.1", FreePorts.one());
      List<PeerAddress> grown = new ArrayList<>(cluster.peers);
      grown.add(fourth);
      ConsensusNode joiner = cluster.start(3, grown);
      leader.addPeer(fourth);
      assertThat(leader.peers())
          .extracting(PeerAddress::id)
          .containsExactly("v0", "v1", "v2", "v3");
      Chains.await(COMMIT, "the new node catches up", () -> joiner.height() >= 1);

      SubmitResult viaJoiner = joiner.submit(List.of(transfer(alice, 1, bob, 1))).get(0);
      assertThat(viaJoiner.accepted()).as(viaJoiner.message()).isTrue();
      for (ConsensusNode n : cluster.running()) {
        assertThat(n.awaitCommitted(viaJoiner.txHash(), COMMIT)).as("on " + n.id()).isPresent();
      }

      ConsensusNode leaving = null;
      for (ConsensusNode n : cluster.running()) {
        if (!n.isLeader() && n != joiner) {
          leaving = n;
        }
      }
      String leavingId = leaving.id();
      cluster.awaitLeader(COMMIT).removePeer(leavingId);
      cluster.stop(cluster.indexOf(leaving));
      ConsensusNode current = cluster.awaitLeader(COMMIT);
      assertThat(current.peers()).extracting(PeerAddress::id).doesNotContain(leavingId).hasSize(3);

      SubmitResult after = current.submit(List.of(transfer(alice, 2, bob, 1))).get(0);
      assertThat(after.accepted()).as(after.message()).isTrue();
      for (ConsensusNode n : cluster.running()) {
        assertThat(n.awaitCommitted(after.txHash(), COMMIT)).as("on " + n.id()).isPresent();
      }
      awaitSameHeight(cluster);
      cluster.assertSameChain();
    }
  }

  private static void awaitSameHeight(Cluster cluster) {
    Chains.await(
        COMMIT,
        "every node at the same height",
        () -> cluster.running().stream().mapToLong(ConsensusNode::height).distinct().count() == 1);
  }
}
