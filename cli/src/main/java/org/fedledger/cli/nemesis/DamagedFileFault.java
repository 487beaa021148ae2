package org.fedledger.cli.nemesis;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import org.fedledger.cli.nemesis.disk.DataFileKind;
import org.fedledger.cli.nemesis.disk.DiskFaults;

/**
 * A damaged file in a follower's data directory: the node is stopped, one of its state files
 * corrupted or truncated, and the node started again. It must either refuse to run, exiting
 * non-zero with a log line that names the damage and the remedy, or run and agree with its peers
 * (the checker proves the latter at every height). Healing waits for that answer and, after a
 * refusal, does the operator's documented remedy (docs/faults.md): moves the data directory aside
 * and starts the node on an empty one, so that it restores its state from its peers. The recovery
 * time thus includes the refusal and the restore.
 *
 * <p>Each kind of file is damaged the way {@code DamagedDataFileTest} proves the node's answer for:
 * table files, manifest, CURRENT, write-ahead log and Raft metadata are corrupted (8 bytes
 * flipped), Raft log segments and snapshots truncated.
 */
final class DamagedFileFault implements ActiveFault {
  /** What every refusal of a damaged data directory says (RocksStore, ConsensusNode, snapshots). */
  static final String REMEDY = "data directory aside";

  /** How long a node may take to refuse or come up on a loaded machine. */
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(90);

  private final NodeProcess process;
  private final NodeEndpoint endpoint;
  private final Path dataDir;
  private final Path setAside;
  private final long logOffset;
  private final String description;
  private final Consumer<String> violations;
  private String outcome = "";

  private DamagedFileFault(
      NodeProcess process,
      NodeEndpoint endpoint,
      Path dataDir,
      Path setAside,
      long logOffset,
      String description,
      Consumer<String> violations) {
    this.process = process;
    this.endpoint = endpoint;
    this.dataDir = dataDir;
    this.setAside = setAside;
    this.logOffset = logOffset;
    this.description = description;
    this.violations = violations;
  }

  /**
   * Stops follower node of cluster, damages one of its state files of a kind drawn with random, and
   * starts it again.
   *
   * @param number the fault's number in the run, to name the set-aside data directory
   * @param violations where a node that runs without a word, or refuses without saying why, is
   *     reported
   */
  static DamagedFileFault inject(
      NemesisCluster cluster, int node, int number, Random random, Consumer<String> violations)
      throws IOException, InterruptedException {
    NodeProcess process = cluster.process(node);
    process.terminate();
    Path dataDir = cluster.dataDir(node);
    List<DataFileKind> present = new ArrayList<>();
    for (DataFileKind k : DataFileKind.values()) {
      if (!DiskFaults.filesOf(dataDir, k).isEmpty()) {
        present.add(k);
      }
    }
    if (present.isEmpty()) {
      throw new IllegalStateException("node-" + node + " has no state file under " + dataDir);
    }
    DataFileKind kind = present.get(random.nextInt(present.size()));
    DiskFaults.Damage damage =
        truncated(kind)
            ? DiskFaults.truncateOneFile(dataDir, kind, random)
            : DiskFaults.corruptOneFile(dataDir, kind, random);
    long logOffset = Files.size(process.log());
    process.start();
    return new DamagedFileFault(
        process,
        cluster.endpoint(node),
        dataDir,
        dataDir.resolveSibling(dataDir.getFileName() + ".damaged-" + number),
        logOffset,
        "damaged "
            + kind
            + " of follower node-"
            + node
            + " ("
            + dataDir.relativize(damage.file())
            + ": "
            + damage.how()
            + ")",
        violations);
  }

  /** Which damage a kind gets: see the class comment. */
  static boolean truncated(DataFileKind kind) {
    return kind == DataFileKind.RATIS_LOG_SEGMENT || kind == DataFileKind.SNAPSHOT;
  }

  @Override
  public FaultKind kind() {
    return FaultKind.DAMAGE;
  }

  @Override
  public String description() {
    return description + outcome;
  }

  @Override
  public void heal() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Integer> exit = process.awaitExit(Duration.ofMillis(200));
      if (exit.isPresent()) {
        judgeRefusal(exit.get());
        remedy();
        return;
      }
      if (endpoint.status().isPresent()) {
        // Its start checks passed: it runs on the damaged directory, and must agree with its peers.
        outcome = ": it ran on it";
        return;
      }
    }
    violations.accept(
        description
            + ": the node neither refused to run nor came up within "
            + ANSWER_TIMEOUT.toSeconds()
            + " s; see "
            + process.log());
    process.kill();
    remedy();
  }

  private void judgeRefusal(int exit) throws IOException {
    outcome = ": it refused to run (exit " + exit + ")";
    refusalProblem(exit, readLogSinceStart())
        .ifPresent(p -> violations.accept(description + ": " + p + "; see " + process.log()));
  }

  /**
   * What is wrong with a node's refusal to start on a damaged data directory, given its exit status
   * and what it logged: empty for a proper refusal (a non-zero status, and a log line that tells
   * the operator to move the data directory aside).
   */
  static Optional<String> refusalProblem(int exit, String logged) {
    boolean saysRemedy = logged.lines().anyMatch(l -> l.contains(REMEDY));
    if (exit != 0 && saysRemedy) {
      return Optional.empty();
    }
    return Optional.of(
        "the node stopped with exit status "
            + exit
            + (saysRemedy ? "" : " without saying to move its data directory aside")
            + "; a node must refuse damaged state with a non-zero status and the remedy in its log");
  }

  /** The operator's remedy: the damaged directory kept aside, the node restored from its peers. */
  private void remedy() throws IOException, InterruptedException {
    Files.move(dataDir, setAside);
    process.start();
    outcome += "; data directory moved aside, node restored from its peers";
  }

  private String readLogSinceStart() throws IOException {
    try (SeekableByteChannel log = Files.newByteChannel(process.log())) {
      log.position(Math.min(logOffset, log.size()));
      return new String(Channels.newInputStream(log).readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
