package org.fedledger.cli.validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.fedledger.cli.CommandFailedException;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.consensus.node.MembershipPlan;
import org.fedledger.consensus.node.PeerAddress;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.ledger.ValidatorInfo;

/**
 * The chain's validator set and the Raft group's members, as one node reports them ({@code
 * /v1/status}), and which member is which validator (consensus' own matching rule).
 */
record NetworkView(List<ValidatorInfo> validators, List<PeerAddress> members, String leaderId) {

  static NetworkView read(NodeClient client) {
    JsonNode status = client.require("/v1/status", "node status");
    List<ValidatorInfo> validators = new ArrayList<>();
    for (JsonNode v : status.path("validators")) {
      validators.add(
          new ValidatorInfo(
              Ed25519PublicKey.fromHex(v.path("publicKey").asText()),
              v.path("power").asLong(),
              v.path("raftAddress").asText(),
              v.path("apiAddress").asText()));
    }
    List<PeerAddress> members = new ArrayList<>();
    for (JsonNode p : status.path("peers")) {
      members.add(PeerAddress.parse(p.asText()));
    }
    return new NetworkView(validators, members, status.path("leaderId").asText(null));
  }

  /** Polls the node until the view satisfies done; fails with the message on timeout. */
  static NetworkView await(
      NodeClient client, Predicate<NetworkView> done, Duration timeout, String failure)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      NetworkView view = read(client);
      if (done.test(view)) {
        return view;
      }
      if (System.nanoTime() > deadline) {
        throw new CommandFailedException(failure);
      }
      Thread.sleep(200);
    }
  }

  Optional<ValidatorInfo> validator(Ed25519PublicKey key) {
    return validators.stream().filter(v -> v.publicKey().equals(key)).findFirst();
  }

  /** The Raft member that is this validator, if it is one. */
  Optional<PeerAddress> memberOf(ValidatorInfo v) {
    return members.stream().filter(p -> MembershipPlan.isPeerOf(p, v)).findFirst();
  }

  /** Members that are no validator: they are about to be removed, or the group is hand-managed. */
  List<PeerAddress> strangers() {
    return members.stream()
        .filter(p -> validators.stream().noneMatch(v -> MembershipPlan.isPeerOf(p, v)))
        .toList();
  }

  ObjectNode toJson() {
    ObjectNode out = NodeClient.JSON.createObjectNode();
    out.put("leaderId", leaderId);
    ArrayNode vs = out.putArray("validators");
    boolean inSync = strangers().isEmpty();
    for (ValidatorInfo v : validators) {
      Optional<PeerAddress> member = memberOf(v);
      inSync &= member.isPresent();
      vs.add(describe(v, member));
    }
    ArrayNode ms = out.putArray("raftMembers");
    members.forEach(p -> ms.add(p.toString()));
    ArrayNode others = out.putArray("membersThatAreNoValidator");
    strangers().forEach(p -> others.add(p.toString()));
    out.put("inSync", inSync);
    return out;
  }

  /** One validator; raftPeer is the member it is, or null while it is not in the group. */
  static ObjectNode describe(ValidatorInfo v, Optional<PeerAddress> member) {
    ObjectNode o = NodeClient.JSON.createObjectNode();
    o.put("publicKey", v.publicKey().toHex());
    o.put("address", v.address().toHex());
    o.put("power", v.power());
    o.put("raftAddress", v.raftAddress());
    o.put("apiAddress", v.apiAddress());
    o.put("raftPeer", member.map(PeerAddress::id).orElse(null));
    return o;
  }
}
