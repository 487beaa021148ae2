package org.fedledger.consensus.mempool;

import java.util.Iterator;
import java.util.TreeMap;
import org.fedledger.core.address.Address;

/** One sender's transactions in the pool, by nonce; guarded by the pool's lock. */
final class SenderQueue {
  final Address address;

  /** Order of the sender's arrival in the pool: the fairness order of reap. */
  final long arrival;

  final TreeMap<Long, PoolEntry> byNonce = new TreeMap<>();

  /** The account nonce as last read: the next nonce a block can execute. */
  long committedNonce;

  /** Transactions not in flight. */
  int pending;

  /** Bytes of all the sender's transactions held. */
  long bytes;

  SenderQueue(Address address, long committedNonce, long arrival) {
    this.address = address;
    this.committedNonce = committedNonce;
    this.arrival = arrival;
  }

  /** True if some nonce between the account's and this one is missing. */
  boolean isGapped(long nonce) {
    return byNonce.subMap(committedNonce, true, nonce, false).size() < nonce - committedNonce;
  }

  /** True if a reap could take a transaction of this sender now. */
  boolean hasReapable() {
    return pending > 0 && new Cursor(this).nextReapable() != null;
  }

  /** Walks the queue in nonce order, stepping over in-flight entries, stopping at gaps. */
  static final class Cursor {
    final SenderQueue queue;
    private final Iterator<PoolEntry> it;
    private long expected;

    Cursor(SenderQueue queue) {
      this.queue = queue;
      this.expected = queue.committedNonce;
      this.it = queue.byNonce.tailMap(queue.committedNonce, true).values().iterator();
    }

    PoolEntry nextReapable() {
      while (it.hasNext()) {
        PoolEntry e = it.next();
        if (e.tx.nonce() != expected) {
          return null;
        }
        expected++;
        if (!e.inFlight) {
          return e;
        }
      }
      return null;
    }
  }
}
