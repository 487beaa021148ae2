package org.fedledger.cli.nemesis;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.fedledger.cli.nemesis.disk.DiskFaults;

/**
 * A full disk on one node: no file of its process may grow (a write limit of 0 bytes). A node that
 * cannot store what Raft gives it must stop with exit status 70 (docs/faults.md), not linger alive
 * behind its peers. Healing lifts the limit; a node that stopped, at any time until the cluster has
 * recovered, is started again, as an operator who freed space (or systemd) would.
 *
 * <p>The limit covers the node's own log too (its stdout is a file), so the reason it gives cannot
 * be read here; its exit status can.
 */
final class FullDiskFault implements ActiveFault {
  /** The exit status of a node whose storage failed under it (StartCommand). */
  static final int EXIT_STORAGE_FAILED = 70;

  private final NodeProcess process;
  private final String description;
  private final Consumer<String> violations;
  private final long pid;
  private String outcome = "";
  private boolean restarted;

  private FullDiskFault(
      NodeProcess process, String description, Consumer<String> violations, long pid) {
    this.process = process;
    this.description = description;
    this.violations = violations;
    this.pid = pid;
  }

  /**
   * Fills the disk of process as far as it can tell.
   *
   * @param who the node's role and name, for the description ("follower node-1")
   * @param violations where a node that stopped with another status than 70 is reported
   */
  static FullDiskFault inject(NodeProcess process, String who, Consumer<String> violations) {
    long pid = process.pid();
    DiskFaults.limitWrites(pid, 0);
    return new FullDiskFault(process, "full disk on " + who, violations, pid);
  }

  @Override
  public FaultKind kind() {
    return FaultKind.DISK;
  }

  @Override
  public String description() {
    return description + outcome;
  }

  @Override
  public void heal() throws IOException, InterruptedException {
    if (process.isAlive()) {
      try {
        DiskFaults.lift(pid);
        outcome = ": it ran on; limit lifted";
        return;
      } catch (IllegalStateException e) {
        if (process.isAlive()) {
          throw e;
        }
        // It exited between the check and prlimit: restart it below.
      }
    }
    restartStopped("during the fault");
  }

  @Override
  public void tend() throws IOException, InterruptedException {
    if (!restarted && !process.isAlive()) {
      restartStopped("after the limit was lifted");
    }
  }

  private void restartStopped(String when) throws IOException, InterruptedException {
    Optional<Integer> status = process.awaitExit(Duration.ofSeconds(10));
    outcome =
        ": it stopped " + when + " (exit " + status.map(String::valueOf).orElse("unknown") + ")";
    stopProblem(status)
        .ifPresent(p -> violations.accept(description + ": " + p + "; see " + process.log()));
    restarted = true;
    process.start();
    outcome += "; restarted";
  }

  /**
   * What is wrong with how a node stopped on a full disk, given its exit status (empty if unknown):
   * empty when it stopped as documented, with {@value #EXIT_STORAGE_FAILED}.
   */
  static Optional<String> stopProblem(Optional<Integer> exit) {
    if (exit.isPresent() && exit.get() == EXIT_STORAGE_FAILED) {
      return Optional.empty();
    }
    return Optional.of(
        "the node stopped with exit status "
            + exit.map(String::valueOf).orElse("unknown")
            + "; a node whose storage fails must stop with "
            + EXIT_STORAGE_FAILED
            + " (docs/faults.md)");
  }
}
