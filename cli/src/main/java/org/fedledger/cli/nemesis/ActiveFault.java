package org.fedledger.cli.nemesis;

import java.io.IOException;

/** A fault in force: what it is, and how to heal it. */
interface ActiveFault {
  FaultKind kind();

  /** What was done to whom, for the progress lines and the report. */
  String description();

  /** Undoes the fault: restores links, restarts or resumes the node. */
  void heal() throws IOException, InterruptedException;

  /**
   * Called again and again while the harness waits for the cluster to recover after {@link #heal}:
   * does what a supervisor (systemd's {@code Restart=on-failure}) would, such as starting a node
   * that stopped only after the heal. Nothing by default.
   */
  default void tend() throws IOException, InterruptedException {}
}
