package org.fedledger.consensus.node;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.util.TimeDuration;

/**
 * {@link MembershipSync.Raft} over this node's Ratis server. Each call uses a short-lived client
 * aimed at this node (the leader) and does not retry: the sync decides when to try again.
 */
final class RatisMembership implements MembershipSync.Raft {
  /** A reconfiguration waits until the new member caught up, which may take a snapshot install. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final RaftServer server;
  private final RaftGroupId groupId;
  private final RaftPeerId selfId;
  private final RaftProperties clientProperties;
  private final Parameters parameters;
  private final LocalAdmin admin;

  RatisMembership(
      RaftServer server,
      RaftGroupId groupId,
      RaftPeerId selfId,
      RaftProperties clientProperties,
      Parameters parameters) {
    this.parameters = parameters;
    this.server = server;
    this.groupId = groupId;
    this.selfId = selfId;
    this.clientProperties = clientProperties;
    this.admin = new LocalAdmin(server, groupId);
    RaftClientConfigKeys.Rpc.setRequestTimeout(
        clientProperties, TimeDuration.valueOf(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
  }

  @Override
  public Optional<List<PeerAddress>> stableMembersIfLeading() {
    RaftServer.Division division;
    try {
      division = server.getDivision(groupId);
    } catch (IOException e) {
      return Optional.empty(); // closed
    }
    DivisionInfo info = division.getInfo();
    RaftConfiguration conf = division.getRaftConf();
    if (!info.isLeader() || !info.isLeaderReady() || !conf.getPreviousPeers().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(conf.getCurrentPeers().stream().map(PeerAddress::of).toList());
  }

  @Override
  public void checkServes(PeerAddress peer) throws IOException {
    GroupInfoReply reply;
    try (RaftClient client = client(List.of(peer))) {
      reply = client.getGroupManagementApi(RaftPeerId.valueOf(peer.id())).info(groupId);
    } catch (IOException | RuntimeException e) { // gRPC reports an unreachable peer unchecked
      throw new IOException(
          "no node of this chain answers at "
              + peer.address()
              + " ("
              + e.getMessage()
              + "); start it there with nodeId "
              + peer.id(),
          e);
    }
    String answersAs = reply.getRoleInfoProto().getSelf().getId().toStringUtf8();
    if (!answersAs.equals(peer.id())) {
      throw new IOException(
          "the node at "
              + peer.address()
              + " runs as peer "
              + answersAs
              + ", but the validator there must run as "
              + peer.id()
              + ": set its nodeId to "
              + peer.id()
              + " and start it again with an empty data directory");
    }
  }

  @Override
  public void setMembers(List<PeerAddress> current, List<PeerAddress> next) throws IOException {
    SetConfigurationRequest.Arguments arguments =
        SetConfigurationRequest.Arguments.newBuilder()
            .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
            .setServersInCurrentConf(raftPeers(current))
            .setServersInNewConf(raftPeers(next))
            .build();
    check(
        () -> admin.setConfiguration(arguments, REQUEST_TIMEOUT),
        "changing the members to " + next);
  }

  @Override
  public void transferLeadership(String peerId) throws IOException {
    check(
        () -> admin.transferLeadership(RaftPeerId.valueOf(peerId), REQUEST_TIMEOUT),
        "transferring leadership to " + peerId);
  }

  private interface Call {
    RaftClientReply send() throws IOException;
  }

  private static void check(Call call, String what) throws IOException {
    RaftClientReply reply;
    try {
      reply = call.send();
    } catch (RuntimeException e) { // gRPC reports an unreachable peer unchecked
      throw new IOException(what + " failed: " + e.getMessage(), e);
    }
    if (!reply.isSuccess()) {
      throw new IOException(what + " failed: " + reply.getException(), reply.getException());
    }
  }

  private RaftClient client(List<PeerAddress> peers) {
    List<PeerAddress> group = new ArrayList<>(peers);
    if (group.stream().noneMatch(p -> p.id().equals(selfId.toString()))) {
      try {
        server.getDivision(groupId).getGroup().getPeers().stream()
            .filter(p -> p.getId().equals(selfId))
            .map(PeerAddress::of)
            .forEach(group::add);
      } catch (IOException e) {
        throw new IllegalStateException("this node's Raft group is gone", e);
      }
    }
    return RaftClient.newBuilder()
        .setProperties(clientProperties)
        .setParameters(parameters)
        .setRaftGroup(RaftGroup.valueOf(groupId, raftPeers(group)))
        .setLeaderId(selfId)
        .setRetryPolicy(RetryPolicies.noRetry())
        .build();
  }

  private static List<RaftPeer> raftPeers(List<PeerAddress> peers) {
    return peers.stream()
        .sorted(Comparator.comparing(PeerAddress::id))
        .map(PeerAddress::toRaftPeer)
        .toList();
  }
}
