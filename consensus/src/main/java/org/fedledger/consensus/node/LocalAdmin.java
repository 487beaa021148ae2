package org.fedledger.consensus.node;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.SnapshotManagementRequest;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.server.RaftServer;

/**
 * Administrative calls on this node's own Raft server, in process. The network endpoint refuses
 * them (see {@code raft.RemoteAdminGuard}), so a membership change, a leadership transfer or a
 * snapshot can only be asked of a node by the node itself: on the leader for the first two.
 */
final class LocalAdmin {
  private final RaftServer server;
  private final RaftGroupId groupId;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callId = new AtomicLong();

  LocalAdmin(RaftServer server, RaftGroupId groupId) {
    this.server = server;
    this.groupId = groupId;
  }

  /** Changes the configuration; fails unless this node leads. */
  RaftClientReply setConfiguration(SetConfigurationRequest.Arguments arguments, Duration timeout)
      throws IOException {
    SetConfigurationRequest request =
        new SetConfigurationRequest(
            clientId, server.getId(), groupId, callId.incrementAndGet(), arguments);
    return await(server.setConfigurationAsync(request), timeout, "changing the members");
  }

  /** Hands leadership to another member; fails unless this node leads. */
  RaftClientReply transferLeadership(RaftPeerId to, Duration timeout) throws IOException {
    TransferLeadershipRequest request =
        new TransferLeadershipRequest(
            clientId, server.getId(), groupId, callId.incrementAndGet(), to, timeout.toMillis());
    return await(server.transferLeadershipAsync(request), timeout, "transferring leadership");
  }

  /** Takes a snapshot of this node's state machine now. */
  RaftClientReply snapshot(Duration timeout) throws IOException {
    SnapshotManagementRequest request =
        SnapshotManagementRequest.newCreate(
            clientId, server.getId(), groupId, callId.incrementAndGet(), timeout.toMillis(), 1);
    return await(server.snapshotManagementAsync(request), timeout, "taking a snapshot");
  }

  private static RaftClientReply await(
      CompletableFuture<RaftClientReply> reply, Duration timeout, String what) throws IOException {
    try {
      return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IOException(what + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException(what + " did not finish within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(what + " was interrupted", e);
    }
  }
}
