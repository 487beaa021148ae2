package org.fedledger.consensus.node;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.server.RaftServer;

/**
 * An operator's change of the Raft group's voting members, made on the leader through its local
 * admin (Raft's endpoint refuses membership changes from the network). After a change the node's
 * client talks to the new group.
 */
final class PeerChanges {
  /** A reconfiguration waits until the new member caught up, which may take a snapshot install. */
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final RaftServer server;
  private final RaftGroupId groupId;
  private final LocalAdmin admin;
  private final GroupClient groupClient;

  PeerChanges(RaftServer server, RaftGroupId groupId, LocalAdmin admin, GroupClient groupClient) {
    this.server = server;
    this.groupId = groupId;
    this.admin = admin;
    this.groupClient = groupClient;
  }

  void add(PeerAddress peer) throws IOException {
    List<RaftPeer> next = new ArrayList<>(currentPeers());
    if (next.stream().anyMatch(p -> p.getId().toString().equals(peer.id()))) {
      throw new IllegalArgumentException(peer.id() + " is already a member");
    }
    next.add(peer.toRaftPeer());
    reconfigure(next);
  }

  void remove(String id) throws IOException {
    List<RaftPeer> next = new ArrayList<>(currentPeers());
    if (!next.removeIf(p -> p.getId().toString().equals(id))) {
      throw new IllegalArgumentException(id + " is not a member of " + next);
    }
    if (next.isEmpty()) {
      throw new IllegalArgumentException("cannot remove the last member " + id);
    }
    reconfigure(next);
  }

  private List<RaftPeer> currentPeers() throws IOException {
    return List.copyOf(server.getDivision(groupId).getGroup().getPeers());
  }

  private void reconfigure(List<RaftPeer> next) throws IOException {
    RaftClientReply reply =
        admin.setConfiguration(
            SetConfigurationRequest.Arguments.newBuilder().setServersInNewConf(next).build(),
            TIMEOUT);
    if (!reply.isSuccess()) {
      throw new IOException("membership change to " + next + " failed", reply.getException());
    }
    groupClient.reset(RaftGroup.valueOf(groupId, next));
  }
}
