package org.fedledger.consensus.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedledger.consensus.testing.Chains.transfer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.util.LifeCycle;
import org.fedledger.consensus.mempool.SubmitResult;
import org.fedledger.consensus.testing.Chains;
import org.fedledger.consensus.testing.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a node does when Ratis reports that its Raft log could not be written
 * (StateMachine.EventApi.notifyLogFailed, as Ratis' log worker calls it on an I/O error): it
 * fail-stops with the reason, although Ratis itself would let the server run on. The real failure,
 * a full disk under a node process, is FullDiskTest's in the cli module; here the notification is
 * given by hand to a real node, to pin down the node's side of it.
 */
@Timeout(60)
class RaftLogFailureTest {
  @TempDir Path dir;
  private Cluster cluster;
  private ConsensusNode node;

  @BeforeEach
  void start() throws Exception {
    cluster = new Cluster(dir, 1, 2);
    node = cluster.start(0);
    cluster.awaitLeader(Duration.ofSeconds(20));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void aFailedLogWriteStopsRaftAndReportsWhichEntryAndWhy() throws Exception {
    StateMachine.EventApi events = stateMachineEvents();
    events.notifyLogFailed(new IOException("File too large"), entry(7));

    String reason = node.raftStopped().get(10, TimeUnit.SECONDS);
    assertThat(reason).contains("could not write Raft log entry 7").contains("File too large");
    Chains.await(
        Duration.ofSeconds(20),
        "the Raft server closed",
        () -> node.raftServer().getLifeCycleState() == LifeCycle.State.CLOSED);

    // Ratis fails every later write too ("Log already failed"); the first reason stays.
    events.notifyLogFailed(new IOException("Log already failed at index 8"), entry(8));
    assertThat(node.raftStopped().get()).isEqualTo(reason);
  }

  @Test
  void aSegmentThatCannotBeClosedIsAFailureToo() throws Exception {
    stateMachineEvents().notifyLogFailed(new IOException("No space left on device"), null);

    assertThat(node.raftStopped().get(10, TimeUnit.SECONDS))
        .contains("could not write the Raft log (closing a log segment)")
        .contains("No space left on device");
  }

  @Test
  void aNodeThatKeepsWritingIsNotStopped() throws Exception {
    List<SubmitResult> results =
        node.submit(
            List.of(
                transfer(
                    cluster.accounts.get(0), 0, cluster.accounts.get(1).publicKey().address(), 5)));
    assertThat(node.awaitCommitted(results.get(0).txHash(), Duration.ofSeconds(20))).isPresent();
    assertThat(node.raftStopped()).isNotDone();
  }

  @Test
  void aLogFailureWhileTheNodeClosesIsTheShutdownsNotADiskFailure() throws Exception {
    StateMachine.EventApi events = stateMachineEvents();
    node.close();
    // An interrupted write while Ratis shuts its log worker down reports as a failed write.
    events.notifyLogFailed(new java.nio.channels.ClosedByInterruptException(), entry(9));

    assertThat(node.raftStopped()).isNotDone();
  }

  private StateMachine.EventApi stateMachineEvents() throws IOException {
    return node.raftServer()
        .getDivision(ConsensusNode.groupIdFor(Chains.CHAIN_ID))
        .getStateMachine()
        .event();
  }

  private static LogEntryProto entry(long index) {
    return LogEntryProto.newBuilder().setTerm(1).setIndex(index).build();
  }
}
