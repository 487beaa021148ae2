package org.fedledger.consensus.mempool;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fedledger.core.address.Address;

/**
 * When commits touched which senders, counted in epochs (one per commit), so that the pool can tell
 * an account nonce read before a commit from one read after it. A sender's nonce read at epoch e is
 * stale if a commit touched the sender after e, or if the whole state was replaced (a snapshot
 * install) after e. Guarded by the pool's lock.
 */
final class CommitEpochs {
  private long epoch;
  private long allStaleBefore;

  private final LinkedHashMap<Address, Long> touchedAt =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Address, Long> eldest) {
          // Forgetting one is safe only once no admission can still hold an older read: batches
          // take well under the time 100,000 commits of other senders take.
          return size() > 100_000;
        }
      };

  /** The epoch now: the one a read taken now belongs to. */
  long current() {
    return epoch;
  }

  /** Starts the epoch of a new commit. */
  void nextCommit() {
    epoch++;
  }

  /** Records that the current commit touched the sender. */
  void touched(Address sender) {
    // Removed first so that the entry moves to the young end of the eviction order.
    touchedAt.remove(sender);
    touchedAt.put(sender, epoch);
  }

  /** Every read before now is stale: the state was replaced. */
  void allStale() {
    allStaleBefore = ++epoch;
  }

  /** True if a nonce of this sender read at readEpoch may be older than a commit. */
  boolean isStale(Address sender, long readEpoch) {
    return Math.max(allStaleBefore, touchedAt.getOrDefault(sender, 0L)) > readEpoch;
  }
}
