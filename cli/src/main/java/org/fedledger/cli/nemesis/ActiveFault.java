package org.fedledger.cli.nemesis;

import java.io.IOException;

/** A fault in force: what it is, and how to heal it. */
interface ActiveFault {
  FaultKind kind();

  /** What was done to whom, for the progress lines and the report. */
  String description();

  /** Undoes the fault: restores links, restarts or resumes the node. */
  void heal() throws IOException, InterruptedException;
}
