package org.fedledger.consensus.node;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.statemachine.SnapshotInfo;

/** A check of the Raft log a node starts from, beyond the checksums Ratis verifies itself. */
final class RaftLogCheck {
  private RaftLogCheck() {}

  /**
   * Refuses a Raft log that ends before this node's latest snapshot: entries the node had stored
   * are gone (a truncated or deleted segment). Ratis would otherwise run on, unable to append
   * anything ("gap between entries"), neither serving nor failing.
   */
  static void requireLogReachesSnapshot(RaftServer.Division division, Path raftDir)
      throws IOException {
    TermIndex lastLogged = division.getRaftLog().getLastEntryTermIndex();
    SnapshotInfo snapshot = division.getStateMachine().getLatestSnapshot();
    if (lastLogged != null && snapshot != null && lastLogged.getIndex() < snapshot.getIndex()) {
      throw new IOException(
          "the Raft log under "
              + raftDir
              + " ends at index "
              + lastLogged.getIndex()
              + ", before this node's snapshot at index "
              + snapshot.getIndex()
              + ": log segments are truncated or missing, so the data directory is damaged. The"
              + " node refuses to run on it: move the node's data directory aside and start the"
              + " node again; it restores its state from its peers (docs/faults.md)");
    }
  }
}
