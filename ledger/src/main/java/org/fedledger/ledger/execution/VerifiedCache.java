package org.fedledger.ledger.execution;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fedledger.core.hash.Hash;

/**
 * Hashes of transactions whose signatures this node has already verified (at mempool admission), so
 * the leader does not verify them again when it applies its own block. Bounded: the oldest entries
 * are dropped first. A hash covers body and signature, so a hit means the very same bytes.
 */
public final class VerifiedCache {
  private final Map<Hash, Boolean> entries;

  public VerifiedCache(int capacity) {
    this.entries =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Hash, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  public synchronized void add(Hash txHash) {
    entries.put(txHash, Boolean.TRUE);
  }

  public synchronized boolean contains(Hash txHash) {
    return entries.containsKey(txHash);
  }

  /** Removes and reports whether it was there: an included transaction is never verified again. */
  public synchronized boolean take(Hash txHash) {
    return entries.remove(txHash) != null;
  }

  public synchronized int size() {
    return entries.size();
  }
}
