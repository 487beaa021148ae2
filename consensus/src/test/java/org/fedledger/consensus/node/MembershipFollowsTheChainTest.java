package org.fedledger.consensus.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedledger.consensus.testing.Chains.transfer;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.consensus.block.BlockParams;
import org.fedledger.consensus.mempool.SubmitResult;
import org.fedledger.consensus.testing.Chains;
import org.fedledger.consensus.testing.Cluster;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.proto.validators.AddValidator;
import org.fedledger.core.proto.validators.RemoveValidator;
import org.fedledger.core.proto.validators.ValidatorRecord;
import org.fedledger.ledger.ValidatorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raft membership driven by the chain: AddValidator and RemoveValidator transactions, and nothing
 * else, grow and shrink the group. Real Ratis and ledgers on loopback.
 */
@Timeout(180)
class MembershipFollowsTheChainTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void aValidatorAddedOnChainJoinsCatchesUpAndVotesAndOneRemovedLeaves() throws Exception {
    try (Cluster cluster = Cluster.followingTheChain(dir, 3, 3)) {
      cluster.startAll();
      Ed25519KeyPair admin = cluster.accounts.get(0);
      Ed25519KeyPair alice = cluster.accounts.get(1);
      Address bob = cluster.accounts.get(2).publicKey().address();
      long[] aliceNonce = {0};
      commitTransfer(cluster, alice, aliceNonce, bob);

      // The new node starts first, with the group and itself, and waits well past an election
      // timeout: it must neither campaign nor be told to shut down.
      PeerAddress fourth = new PeerAddress(cluster.idOf(3), "127.0.0.1", Chains.freePort());
      List<PeerAddress> grown = new ArrayList<>(cluster.peers);
      grown.add(fourth);
      ConsensusNode waiting = cluster.start(3, grown);
      Thread.sleep(3_000);
      assertThat(waiting.raftServer().getLifeCycleState().isRunning()).isTrue();
      cluster.stop(3); // and a restart while it waits changes nothing
      ConsensusNode joiner = cluster.start(3, grown);
      Thread.sleep(2_000);
      assertThat(joiner.raftServer().getLifeCycleState().isRunning()).isTrue();
      assertThat(cluster.awaitLeader(WAIT).peers()).hasSize(3);

      Ed25519PublicKey newKey = cluster.validatorKeys.get(3).publicKey();
      submitAndCommit(cluster, admin, 0, "AddValidator", addValidator(newKey, fourth.address()));
      long addedAt = cluster.awaitLeader(WAIT).height();
      awaitMembers(cluster, "v0", "v1", "v2", fourth.id());
      Chains.await(WAIT, "the new node catches up", () -> joiner.height() >= addedAt);

      // It takes transactions, and its state-root votes are recorded on chain.
      for (int n = 0; n < 3; n++) {
        SubmitResult viaJoiner =
            joiner.submit(List.of(transfer(alice, aliceNonce[0]++, bob, 1))).get(0);
        assertThat(viaJoiner.accepted()).as(viaJoiner.message()).isTrue();
        for (ConsensusNode node : cluster.running()) {
          assertThat(node.awaitCommitted(viaJoiner.txHash(), WAIT)).as(node.id()).isPresent();
        }
      }
      Chains.await(
          WAIT,
          "a state-root vote of the new validator on chain",
          () -> votedSince(cluster.awaitLeader(WAIT), newKey, addedAt));
      awaitSameHeight(cluster);
      cluster.assertSameChain();

      submitAndCommit(cluster, admin, 1, "RemoveValidator", removeValidator(newKey));
      // Asked of the others: the leaving node's own view may never hear that it left.
      List<ConsensusNode> others = new ArrayList<>(cluster.running());
      others.remove(joiner);
      awaitMembers(others, "v0", "v1", "v2");
      cluster.stop(3);
      commitTransfer(cluster, alice, aliceNonce, bob);
      awaitSameHeight(cluster);
      cluster.assertSameChain();
      for (ConsensusNode node : cluster.running()) {
        assertThat(node.ledger().faults()).isEmpty();
        assertThat(node.ledger().validators())
            .extracting(ValidatorInfo::publicKey)
            .doesNotContain(newKey);
      }
    }
  }

  @Test
  void aLeaderWhoseValidatorIsRemovedHandsOverAndLeaves() throws Exception {
    try (Cluster cluster = Cluster.followingTheChain(dir, 3, 3)) {
      cluster.startAll();
      ConsensusNode leader = cluster.awaitLeader(WAIT);
      String leaving = leader.id();
      Ed25519PublicKey leavingKey = cluster.validatorKeys.get(cluster.indexOf(leader)).publicKey();

      submitAndCommit(
          cluster, cluster.accounts.get(0), 0, "RemoveValidator", removeValidator(leavingKey));
      Chains.await(
          WAIT,
          "another leader, in a group without " + leaving,
          () -> {
            ConsensusNode now = currentLeader(cluster);
            return now != null
                && now != leader
                && now.peers().stream().noneMatch(p -> p.id().equals(leaving));
          });
      cluster.stop(cluster.indexOf(leader));

      long[] nonce = {0};
      commitTransfer(
          cluster, cluster.accounts.get(1), nonce, cluster.accounts.get(2).publicKey().address());
      awaitSameHeight(cluster);
      cluster.assertSameChain();
      assertThat(cluster.running()).hasSize(2);
    }
  }

  @Test
  void aValidatorAddedBeforeItsNodeRunsJoinsOnceANodeAnswersUnderItsId() throws Exception {
    try (Cluster cluster = Cluster.followingTheChain(dir, 3, 3)) {
      cluster.startAll();
      PeerAddress fourth = new PeerAddress(cluster.idOf(3), "127.0.0.1", Chains.freePort());
      Ed25519PublicKey newKey = cluster.validatorKeys.get(3).publicKey();
      submitAndCommit(
          cluster,
          cluster.accounts.get(0),
          0,
          "AddValidator",
          addValidator(newKey, fourth.address()));

      // Nobody at the address yet, then a node there under another id: neither may join.
      List<PeerAddress> grown = new ArrayList<>(cluster.peers);
      grown.add(fourth);
      Thread.sleep(1_500);
      PeerAddress impostor = new PeerAddress("v3", fourth.host(), fourth.port());
      List<PeerAddress> impostorGroup = new ArrayList<>(cluster.peers);
      impostorGroup.add(impostor);
      try (ConsensusNode wrongId =
          ConsensusNode.start(
              ConsensusConfig.of(
                      cluster.validatorKeys.get(3),
                      dir.resolve("impostor"),
                      "v3",
                      impostorGroup,
                      cluster.genesis)
                  .withBlock(BlockParams.defaults().withBlockInterval(Duration.ofMillis(50)))
                  .withElectionTimeout(Duration.ofMillis(800))
                  .withSnapshotThreshold(0))) {
        Thread.sleep(3_000);
        assertThat(cluster.awaitLeader(WAIT).peers())
            .extracting(PeerAddress::id)
            .containsExactly("v0", "v1", "v2");
        assertThat(wrongId.height()).isZero();
      }

      ConsensusNode joiner = cluster.start(3, grown);
      awaitMembers(cluster, "v0", "v1", "v2", fourth.id());
      long[] nonce = {0};
      commitTransfer(
          cluster, cluster.accounts.get(1), nonce, cluster.accounts.get(2).publicKey().address());
      long height = cluster.awaitLeader(WAIT).height();
      Chains.await(WAIT, "the new node applies the block", () -> joiner.height() >= height);
      awaitSameHeight(cluster);
      cluster.assertSameChain();
    }
  }

  // ---- helpers ----

  private static byte[] addValidator(Ed25519PublicKey key, String raftAddress) {
    return AddValidator.newBuilder()
        .setValidator(
            ValidatorRecord.newBuilder()
                .setPublicKey(key.toByteString())
                .setPower(1)
                .setRaftAddress(raftAddress))
        .build()
        .toByteArray();
  }

  private static byte[] removeValidator(Ed25519PublicKey key) {
    return RemoveValidator.newBuilder().setPublicKey(key.toByteString()).build().toByteArray();
  }

  /** Signs a validators-module message and waits until every running node committed it. */
  private static void submitAndCommit(
      Cluster cluster, Ed25519KeyPair admin, long nonce, String type, byte[] payload)
      throws InterruptedException {
    TxBody.Builder body =
        Chains.transferBody(admin, nonce, admin.publicKey().address(), 1)
            .setModule("validators")
            .setMessageType(type)
            .setPayload(ByteString.copyFrom(payload));
    SubmitResult r =
        cluster.awaitLeader(WAIT).submit(List.of(Chains.sign(body, admin).toByteArray())).get(0);
    assertThat(r.accepted()).as(r.message()).isTrue();
    for (ConsensusNode node : cluster.running()) {
      var committed = node.awaitCommitted(r.txHash(), WAIT);
      assertThat(committed).as("%s on %s", type, node.id()).isPresent();
      assertThat(committed.get().ok()).as(committed.get().error()).isTrue();
    }
  }

  private static void commitTransfer(Cluster cluster, Ed25519KeyPair from, long[] nonce, Address to)
      throws InterruptedException {
    SubmitResult r =
        cluster.awaitLeader(WAIT).submit(List.of(transfer(from, nonce[0]++, to, 1))).get(0);
    assertThat(r.accepted()).as(r.message()).isTrue();
    for (ConsensusNode node : cluster.running()) {
      assertThat(node.awaitCommitted(r.txHash(), WAIT)).as(node.id()).isPresent();
    }
  }

  /** Waits until every running node's Raft configuration has exactly these members. */
  private static void awaitMembers(Cluster cluster, String... ids) {
    awaitMembers(cluster.running(), ids);
  }

  private static void awaitMembers(List<ConsensusNode> nodes, String... ids) {
    Chains.await(
        WAIT,
        "Raft members " + List.of(ids) + " on " + nodes.stream().map(ConsensusNode::id).toList(),
        () ->
            nodes.stream()
                .allMatch(
                    n ->
                        n.peers().stream()
                            .map(PeerAddress::id)
                            .sorted()
                            .toList()
                            .equals(List.of(ids).stream().sorted().toList())));
  }

  private static ConsensusNode currentLeader(Cluster cluster) {
    for (ConsensusNode n : cluster.running()) {
      if (n.isLeader()) {
        return n;
      }
    }
    return null;
  }

  private static boolean votedSince(ConsensusNode node, Ed25519PublicKey key, long height) {
    for (long h = height; h <= node.height(); h++) {
      if (node.ledger().stateRootVote(h, key).isPresent()) {
        return true;
      }
    }
    return false;
  }

  private static void awaitSameHeight(Cluster cluster) {
    Chains.await(
        WAIT,
        "every node at the same height",
        () -> cluster.running().stream().mapToLong(ConsensusNode::height).distinct().count() == 1);
  }
}
