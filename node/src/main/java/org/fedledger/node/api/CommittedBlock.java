package org.fedledger.node.api;

import org.fedledger.consensus.app.AppliedBlock;
import org.fedledger.core.hash.Hash;

/** What the event stream tells subscribers about each committed block. */
public record CommittedBlock(
    long height, Hash hash, int txCount, Hash stateRoot, long timestampMillis) {

  /** The event of a block consensus applied (for {@link ApiServer#blockCommitted}). */
  public static CommittedBlock of(AppliedBlock b) {
    return new CommittedBlock(
        b.height(), b.blockHash(), b.outcomes().size(), b.stateRoot(), b.timestampMillis());
  }
}
