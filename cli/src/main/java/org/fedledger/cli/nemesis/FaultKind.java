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
  /** The leader's clock jumped forward or back (libfaketime); not wired yet. */
  CLOCK,
  /** A full disk or a damaged data file on one node; not wired yet. */
  DISK,
  /** Every link of a follower delayed. */
  SLOW;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
