package org.fedledger.cli.nemesis;

import java.util.Locale;

/** The kinds of fault the nemesis injects, named as in {@code bench nemesis}' JSON. */
enum FaultKind {
  /** Links cut: the leader isolated, a majority from a minority, or a bridge between two halves. */
  PARTITION,
  /** kill -9 of the leader or a follower, restarted at the heal. */
  KILL,
  /** SIGSTOP of the leader or a follower, longer than the election timeout; SIGCONT heals. */
  PAUSE,
  /** The leader's wall clock jumped forward or back (libfaketime); healing sets it right. */
  CLOCK,
  /** A full disk on one node (no file may grow); healing lifts it (restarting a node that died). */
  DISK,
  /**
   * A stopped follower's data file corrupted or truncated: it must refuse to start, saying why;
   * healing is the operator's remedy (data directory moved aside, node restored from its peers).
   */
  DAMAGE,
  /** Every link of a follower delayed. */
  SLOW;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind of a label ("partition", "kill", ...), with the labels in the error. */
  static FaultKind parse(String label) {
    for (FaultKind k : values()) {
      if (k.label().equals(label.strip().toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown fault kind '"
            + label
            + "'; the kinds are "
            + java.util.Arrays.stream(values()).map(FaultKind::label).toList());
  }
}
