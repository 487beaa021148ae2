package org.fedledger.consensus.raft;

import java.util.Optional;
import org.apache.ratis.protocol.RaftPeerId;
import org.fedledger.consensus.app.AppliedBlock;

/**
 * What the node wants to hear from the state machine. Block and reload callbacks run on Ratis'
 * apply thread, so they must be short and must not throw.
 */
public interface StateMachineListener {
  /** A block was applied (on every node, in log order). */
  void onBlockApplied(AppliedBlock block);

  /** The state was replaced by a snapshot installed from the leader. */
  void onStateReloaded();

  /** Raft elected a new leader (possibly this node). */
  void onLeaderChanged(RaftPeerId newLeaderId);

  /** This node became leader and applied everything committed before its term. */
  void onLeaderReady();

  /**
   * Raft closed this state machine: the node is closing, Raft shut a removed member down, or Raft
   * stopped by itself because it could not store. storageFailure says what failed to store when a
   * block's write failed; a failed Raft log write is not seen here (Ratis logs it).
   */
  default void onClosed(Optional<String> storageFailure) {}

  /** A follower forwarded transactions and votes to this node, which Raft says leads. */
  String onForward(ForwardBatch batch);
}
