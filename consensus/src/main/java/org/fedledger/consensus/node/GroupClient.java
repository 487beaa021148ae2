package org.fedledger.consensus.node;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.util.TimeDuration;
import org.fedledger.consensus.raft.RaftSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's Raft client to its own group, for forwarding, membership changes and snapshots. It is
 * made on first use, once the node is a member, and replaced after a membership change so that it
 * knows the new peers.
 */
final class GroupClient implements AutoCloseable {
  // Logged under the node's name, where operators have always found it.
  private static final Logger LOG = LoggerFactory.getLogger(ConsensusNode.class);

  private final RaftServer server;
  private final RaftGroupId groupId;
  private final int maxBlockBytes;
  private final Parameters parameters;
  private volatile RaftClient client;

  GroupClient(RaftServer server, RaftGroupId groupId, int maxBlockBytes, Parameters parameters) {
    this.parameters = parameters;
    this.server = server;
    this.groupId = groupId;
    this.maxBlockBytes = maxBlockBytes;
  }

  RaftClient client() {
    RaftClient c = client;
    if (c == null) {
      synchronized (this) {
        c = client;
        if (c == null) {
          RaftGroup group;
          try {
            group = server.getDivision(groupId).getGroup();
          } catch (IOException e) {
            throw new IllegalStateException("this node's Raft group is gone", e);
          }
          if (group.getPeers().isEmpty()) { // joining: a client now would never find a leader
            throw new IllegalStateException("this node is not in the Raft group yet");
          }
          c = newClient(group);
          client = c;
        }
      }
    }
    return c;
  }

  /** Replaces the client with one aimed at group, closing the old one. */
  synchronized void reset(RaftGroup group) {
    RaftClient old = client;
    client = newClient(group);
    closeQuietly(old);
  }

  private RaftClient newClient(RaftGroup group) {
    return RaftClient.newBuilder()
        .setProperties(RaftSettings.clientProperties(maxBlockBytes))
        .setParameters(parameters)
        .setRaftGroup(group)
        .setRetryPolicy(
            RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                30, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
        .build();
  }

  @Override
  public void close() {
    closeQuietly(client);
  }

  private static void closeQuietly(RaftClient c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException e) {
        LOG.warn("closing a Raft client failed", e);
      }
    }
  }
}
