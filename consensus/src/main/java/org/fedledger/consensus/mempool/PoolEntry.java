package org.fedledger.consensus.mempool;

/** A transaction in the pool with the pool's bookkeeping about it; guarded by the pool's lock. */
final class PoolEntry {
  static final long FIRST_REFORWARD_NANOS = 1_000_000_000L;
  static final long MAX_REFORWARD_NANOS = 16_000_000_000L;

  final PooledTx tx;
  boolean inFlight;
  long nextForwardNanos;
  long forwardBackoffNanos = FIRST_REFORWARD_NANOS;

  /** The height at which gap expiry last looked at it (at first, its admission); see GapExpiry. */
  long checkedAt;

  PoolEntry(PooledTx tx) {
    this.tx = tx;
    this.nextForwardNanos = System.nanoTime() + FIRST_REFORWARD_NANOS;
  }
}
