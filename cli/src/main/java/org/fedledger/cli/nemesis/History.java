package org.fedledger.cli.nemesis;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the workload's clients saw: every transaction they submitted, and those they saw committed
 * (acknowledged). The rest are unacknowledged: the client timed out, or the node it asked died or
 * was cut off, before it could tell. Thread-safe; {@link #snapshot} is what the checker reads.
 */
final class History {
  private final Set<String> submitted = new LinkedHashSet<>();
  private final Set<String> acknowledged = new LinkedHashSet<>();

  /** What the clients saw, frozen. */
  record Snapshot(Set<String> acknowledged, Set<String> unacknowledged) {
    Snapshot {
      acknowledged = Set.copyOf(acknowledged);
      unacknowledged = Set.copyOf(unacknowledged);
    }
  }

  synchronized void submitted(String txHash) {
    submitted.add(txHash);
  }

  synchronized void acknowledged(String txHash) {
    submitted.add(txHash);
    acknowledged.add(txHash);
  }

  synchronized int acknowledgedCount() {
    return acknowledged.size();
  }

  synchronized Snapshot snapshot() {
    Set<String> unacknowledged = new LinkedHashSet<>(submitted);
    unacknowledged.removeAll(acknowledged);
    return new Snapshot(acknowledged, unacknowledged);
  }
}
