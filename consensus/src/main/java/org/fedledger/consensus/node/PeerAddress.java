package org.fedledger.consensus.node;

import java.util.Objects;
import org.apache.ratis.protocol.RaftPeer;

/**
 * A member of the Raft group: its id and the host:port of its Raft (gRPC) server.
 *
 * @param id stable name of the node, unique in the group, e.g. "v1"
 */
public record PeerAddress(String id, String host, int port) {
  public PeerAddress {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(host, "host");
    if (id.isBlank() || !id.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException(
          "peer id must be letters, digits, '_', '.' or '-', got \"" + id + "\"");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("peer " + id + " has invalid port " + port);
    }
  }

  /** Parses "id=host:port". */
  public static PeerAddress parse(String spec) {
    int eq = spec.indexOf('=');
    int colon = spec.lastIndexOf(':');
    if (eq < 1 || colon < eq + 2 || colon == spec.length() - 1) {
      throw new IllegalArgumentException("a peer is written id=host:port, got \"" + spec + "\"");
    }
    try {
      return new PeerAddress(
          spec.substring(0, eq),
          unbracket(spec.substring(eq + 1, colon)),
          Integer.parseInt(spec.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("peer port is not a number in \"" + spec + "\"", e);
    }
  }

  /** host:port, with an IPv6 literal in brackets ("[::1]:7801") as gRPC targets need it. */
  public String address() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  private static String unbracket(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  public RaftPeer toRaftPeer() {
    return RaftPeer.newBuilder().setId(id).setAddress(address()).build();
  }

  public static PeerAddress of(RaftPeer peer) {
    String a = peer.getAddress();
    int colon = a.lastIndexOf(':');
    return new PeerAddress(
        peer.getId().toString(),
        unbracket(a.substring(0, colon)),
        Integer.parseInt(a.substring(colon + 1)));
  }

  @Override
  public String toString() {
    return id + "=" + address();
  }
}
