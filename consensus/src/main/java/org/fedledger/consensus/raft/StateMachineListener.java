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
   * stopped by itself because it could not store. storageFailure says what failed to store, if a
   * block's or the Raft log's write did.
   */
  default void onClosed(Optional<String> storageFailure) {}

  /**
   * Raft's log could not be written (a full or failing disk), on a follower as on a leader: Raft
   * can store nothing more here until it restarts, yet does not stop by itself. Called once, on
   * Ratis' log worker thread: do not block it.
   */
  default void onRaftLogFailed(String reason) {}

  /** A follower forwarded transactions and votes to this node, which Raft says leads. */
  String onForward(ForwardBatch batch);
}
