package org.fedledger.consensus.raft;

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

  /** A follower forwarded transactions and votes to this node, which Raft says leads. */
  String onForward(ForwardBatch batch);
}
