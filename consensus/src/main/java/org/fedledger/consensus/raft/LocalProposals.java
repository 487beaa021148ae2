package org.fedledger.consensus.raft;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.ratis.protocol.RaftClientRequest;

/**
 * The write requests this process submitted to its own Raft server, recognised by identity.
 *
 * <p>Only the node's in-process proposer may append to the Raft log. A request that arrived over
 * the network is a new object decoded from bytes, so no outsider can present one of these: unlike a
 * client id or a secret in the message, which the replicated log would reveal to every member, an
 * object reference cannot be copied across a socket.
 */
public final class LocalProposals {
  private final Set<RaftClientRequest> pending =
      Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

  /** Marks a request as this process's own until {@link #release}. */
  void register(RaftClientRequest request) {
    pending.add(request);
  }

  /** Forgets a request once Raft answered it. */
  void release(RaftClientRequest request) {
    pending.remove(request);
  }

  /** True if this very request object was submitted by this process's proposer. */
  boolean isLocal(RaftClientRequest request) {
    return pending.contains(request);
  }

  /** How many submitted requests await Raft's answer. */
  int pendingCount() {
    return pending.size();
  }
}
