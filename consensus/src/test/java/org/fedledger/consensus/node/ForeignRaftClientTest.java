package org.fedledger.consensus.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.fedledger.consensus.testing.Chains.transfer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;
import org.fedledger.consensus.mempool.SubmitResult;
import org.fedledger.consensus.raft.RaftSettings;
import org.fedledger.consensus.testing.Chains;
import org.fedledger.consensus.testing.Cluster;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.BlockProposal;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.testkit.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An outsider who reaches a validator's Raft port with a real Ratis client: it can neither append a
 * block of its own nor change the group, and the chain does not move.
 */
@Timeout(90)
class ForeignRaftClientTest {
  private static final Duration COMMIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private Cluster cluster;
  private ConsensusNode node;
  private RaftClient foreign;

  @BeforeEach
  void start() throws Exception {
    cluster = Cluster.followingTheChain(dir, 1, 3);
    node = cluster.start(0);
    cluster.awaitLeader(COMMIT);
    commitOneTransfer(0);
    foreign = foreignClient();
  }

  @AfterEach
  void stop() throws Exception {
    if (foreign != null) {
      foreign.close();
    }
    cluster.close();
  }

  @Test
  void aForeignClientCannotAppendABlockProposal() throws Exception {
    Snapshot before = Snapshot.of(node);
    Ed25519KeyPair alice = cluster.accounts.get(0);
    // A block that pays the attacker, stamped with a time of its choosing and a forged proposer.
    BlockProposal forged =
        BlockProposal.newBuilder()
            .setTimestampMillis(before.lastTimestamp + 86_400_000L)
            .setProposer(cluster.validatorKeys.get(0).publicKey().address().toByteString())
            .addTransactions(
                SignedTransaction.parseFrom(
                    transfer(alice, 1, cluster.accounts.get(2).publicKey().address(), 999)))
            .build();

    Throwable refused =
        catchThrowable(
            () -> {
              RaftClientReply reply =
                  foreign
                      .io()
                      .send(Message.valueOf(UnsafeByteOperations.unsafeWrap(forged.toByteArray())));
              assertThat(reply.isSuccess()).as("the forged block was accepted").isFalse();
              throw reply.getException();
            });

    assertThat(refused).hasStackTraceContaining("only the blocks its leader's own proposer builds");
    Thread.sleep(300); // anything that slipped through would be applied by now
    assertThat(Snapshot.of(node)).isEqualTo(before);
  }

  @Test
  void aForeignClientCannotChangeTheGroupOrItsLeadership() throws Exception {
    Snapshot before = Snapshot.of(node);
    List<PeerAddress> membersBefore = node.peers();
    List<RaftPeer> withIntruder = new ArrayList<>();
    membersBefore.forEach(p -> withIntruder.add(p.toRaftPeer()));
    withIntruder.add(new PeerAddress("intruder", "127.0.0.1", FreePorts.one()).toRaftPeer());
    RaftPeerId target = RaftPeerId.valueOf(node.id());

    List<Throwable> refusals =
        List.of(
            catchThrowable(() -> failUnlessRefused(foreign.admin().setConfiguration(withIntruder))),
            catchThrowable(() -> failUnlessRefused(foreign.admin().setConfiguration(List.of()))),
            catchThrowable(
                () ->
                    failUnlessRefused(
                        foreign.getGroupManagementApi(target).remove(groupId(), true, false))),
            catchThrowable(
                () -> failUnlessRefused(foreign.getLeaderElectionManagementApi(target).pause())),
            catchThrowable(
                () -> failUnlessRefused(foreign.admin().transferLeadership(null, 1_000))));

    assertThat(refusals).allSatisfy(t -> assertThat(t).hasStackTraceContaining("refused"));
    assertThat(node.peers()).isEqualTo(membersBefore);
    assertThat(node.isLeader()).isTrue();
    assertThat(Snapshot.of(node)).isEqualTo(before);
    // The group still works for its own node: an honest transfer commits.
    commitOneTransfer(1);
  }

  private static void failUnlessRefused(RaftClientReply reply) throws Exception {
    if (reply.isSuccess()) {
      throw new AssertionError("a foreign administrative request succeeded: " + reply);
    }
    throw reply.getException();
  }

  private void commitOneTransfer(int nonce) throws Exception {
    SubmitResult r =
        node.submit(
                List.of(
                    transfer(
                        cluster.accounts.get(0),
                        nonce,
                        cluster.accounts.get(1).publicKey().address(),
                        1)))
            .get(0);
    assertThat(r.accepted()).as(r.toString()).isTrue();
    assertThat(node.awaitCommitted(r.txHash(), COMMIT)).isPresent();
    long txHeight = node.height();
    // Wait for the votes-only block that follows, so that the chain is idle.
    Chains.await(COMMIT, "the vote block", () -> node.height() > txHeight);
    Thread.sleep(300);
  }

  private RaftGroupId groupId() {
    return ConsensusNode.groupIdFor(Chains.CHAIN_ID);
  }

  private RaftClient foreignClient() {
    RaftProperties properties = RaftSettings.clientProperties(1 << 20);
    RaftClientConfigKeys.Rpc.setRequestTimeout(
        properties, TimeDuration.valueOf(5, TimeUnit.SECONDS));
    return RaftClient.newBuilder()
        .setProperties(properties)
        .setRaftGroup(
            RaftGroup.valueOf(
                groupId(), cluster.peers.stream().map(PeerAddress::toRaftPeer).toList()))
        .setRetryPolicy(RetryPolicies.noRetry())
        .build();
  }

  /** What a foreign write could have changed. */
  private record Snapshot(long height, Hash root, Hash lastBlock, long lastTimestamp) {
    static Snapshot of(ConsensusNode node) {
      return new Snapshot(
          node.height(),
          node.ledger().stateRoot(),
          node.application().lastBlockHash(),
          node.application().lastBlockTimestampMillis());
    }
  }
}
