package org.fedledger.consensus.block;

/**
 * The time a leader stamps on its next proposal: its wall clock, kept between the chain's last
 * block time (time never runs backwards) and a ceiling that grows at most twice as fast as real
 * time since that block was applied here, as measured by the monotonic clock.
 *
 * <p>Why the ceiling: the wall clock can be stepped (an operator, NTP, a fault) while the monotonic
 * clock cannot. Without the ceiling, a leader whose clock jumps an hour ahead moves the chain's
 * time an hour ahead within a few blocks (the ledger allows 10 minutes per block), and after the
 * clock is put right the chain's time stands still for that hour: every deadline in time would pass
 * early. With it, a clock jumped ahead gains the chain at most the fault's duration, not the jump's
 * size; a clock jumped back stops the chain's time (never below the parent) for the fault's
 * duration, and afterwards a correct clock catches the chain up at one extra second per second. An
 * honest chain that was idle for a while has its last block that long ago, so its ceiling is far
 * away and the wall clock rules.
 */
final class ProposalTime {
  /** How much faster than real time the chain's time may run, to catch up with a correct clock. */
  static final long CATCH_UP_RATE = 2;

  private ProposalTime() {}

  /**
   * @param wallMillis this leader's wall clock
   * @param floorMillis the latest time the chain (or this leader's proposals in flight) has used
   * @param parentMillis the last applied block's time
   * @param sinceParentAppliedMillis monotonic time since this node applied that block; negative if
   *     unknown (not applied while this node ran, e.g. just after a restart): the wall clock rules
   */
  static long next(
      long wallMillis, long floorMillis, long parentMillis, long sinceParentAppliedMillis) {
    long time = wallMillis;
    if (sinceParentAppliedMillis >= 0) {
      time = Math.min(time, saturatedAdd(parentMillis, CATCH_UP_RATE * sinceParentAppliedMillis));
    }
    return Math.max(time, Math.max(floorMillis, parentMillis));
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
