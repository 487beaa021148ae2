package org.fedledger.consensus.mempool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The clock of gap expiry: admitted transactions, oldest first, each handed back once per {@code
 * periodBlocks} blocks so that the pool can evict it if it still waits behind a missing nonce.
 * Looking at each transaction once per period, not every block, keeps the cost per block to the
 * transactions whose period ends. Guarded by the pool's lock; may hold entries the pool removed.
 */
final class GapExpiry {
  private final long periodBlocks;
  private final ArrayDeque<PoolEntry> byAge = new ArrayDeque<>();
  private long height;

  GapExpiry(long periodBlocks) {
    this.periodBlocks = periodBlocks;
  }

  /** Starts the clock of a transaction just admitted. */
  void admitted(PoolEntry e) {
    e.checkedAt = height;
    byAge.addLast(e);
  }

  /** Starts a transaction's period again: it was not gapped when its time came. */
  void lookAgainLater(PoolEntry e) {
    admitted(e);
  }

  /** Advances to a block's height; returns the entries whose period ended, oldest first. */
  List<PoolEntry> due(long blockHeight) {
    height = Math.max(height, blockHeight);
    List<PoolEntry> out = new ArrayList<>();
    while (!byAge.isEmpty() && height - byAge.peekFirst().checkedAt >= periodBlocks) {
      out.add(byAge.pollFirst());
    }
    return out;
  }
}
