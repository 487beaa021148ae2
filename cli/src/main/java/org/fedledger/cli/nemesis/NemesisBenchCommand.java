package org.fedledger.cli.nemesis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fedledger.core.io.FileTrees;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code fedledger bench nemesis}: a Jepsen-style run against validator processes on loopback. */
@Command(
    name = "nemesis",
    mixinStandardHelpOptions = true,
    description = {
      "Start 3 or 5 validators as separate processes on loopback, every Raft link through a"
          + " fault-injecting proxy, and run a transfer workload while faults drawn from a seeded"
          + " schedule hit them: partitions (the leader isolated, majority/minority, a bridge),"
          + " kill -9 and restart, SIGSTOP/SIGCONT pauses longer than the election timeout, a"
          + " slow follower, jumps of the leader's wall clock, and a damaged data file on a stopped"
          + " follower (with --faults, also a full disk). Then heal, let the cluster settle, and"
          + " check: every acknowledged"
          + " transfer committed exactly once, unacknowledged ones at most once, the same block"
          + " hash and state root on every node at every height, the token supply conserved.",
      "Writes {\"acknowledged\",\"lost\",\"duplicated\",\"diverged\",\"faults\":{...},"
          + "\"recovery_seconds_p99\",...} to --json and stdout; progress on stderr. Exits 1 when"
          + " the checker finds a violation (the cluster's files are then kept for diagnosis), 2"
          + " for a bad option (nothing is started or written).",
      "",
      "  fedledger bench nemesis --duration 600 --json out/nemesis.json",
      "  fedledger bench nemesis --duration 60 --nodes 5 --seed 7 --json out/nemesis5.json"
    })
public final class NemesisBenchCommand implements Callable<Integer> {
  @Option(names = "--json", required = true, description = "file to write the result to")
  Path json;

  @Option(
      names = "--duration",
      required = true,
      description = "seconds of faults; the quiet period and the check follow")
  int durationSeconds;

  @Option(names = "--nodes", description = "validators, 3 or 5 (default: ${DEFAULT-VALUE})")
  int nodes = 3;

  @Option(
      names = "--seed",
      description = "seed of the fault schedule (default: a random one, printed at the start)")
  Long seed;

  @Option(
      names = "--faults",
      split = ",",
      description =
          "fault kinds to draw from, of partition, kill, pause, clock, disk, damage, slow"
              + " (default: partition,kill,pause,slow,clock,damage; clock needs libfaketime: each"
              + " node then runs under it, and the leader's wall clock jumps; disk: a node's files"
              + " may not grow; damage: a stopped follower's data file corrupted or truncated)")
  List<String> faults;

  @Option(
      names = "--dir",
      description =
          "keep the cluster's files and logs here (default: a temporary directory, deleted after"
              + " a clean run)")
  Path dir;

  @Option(
      names = "--base-port",
      description =
          "node i listens on BASE+3i (API), +1 (Raft) and +2 (blob server) on loopback"
              + " (default: ${DEFAULT-VALUE})")
  int basePort = NemesisCluster.DEFAULT_BASE_PORT;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Optional<List<FaultKind>> kinds = checkOptions();
    long chosen = seed != null ? seed : new SecureRandom().nextLong() & Long.MAX_VALUE;
    Path where = dir != null ? dir : Files.createTempDirectory("fedledger-nemesis-");
    NemesisRun.Builder run =
        NemesisRun.builder()
            .setDir(where.resolve("net"))
            .setNodes(nodes)
            .setDuration(Duration.ofSeconds(durationSeconds))
            .setSeed(chosen)
            .optBasePort(basePort);
    kinds.ifPresent(run::optKinds);
    NemesisReport report = run.build().run();
    String out =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report);
    Path parent = json.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(json, out + "\n", StandardCharsets.UTF_8);
    System.out.println(out);
    if (!report.ok()) {
      System.err.println(
          "nemesis: "
              + report.violations().size()
              + " violation(s); the nodes' files and logs"
              + " are in "
              + where
              + "; rerun with --seed "
              + chosen);
      report.violations().forEach(v -> System.err.println("  " + v));
      return 1;
    }
    if (dir == null) {
      FileTrees.delete(where);
    }
    return 0;
  }

  /**
   * Refuses bad options before anything is started or written (exit 2, as for any command line
   * picocli cannot parse); returns the fault kinds asked for, or empty for the default.
   */
  private Optional<List<FaultKind>> checkOptions() {
    if (nodes != 3 && nodes != 5) {
      throw new ParameterException(
          spec.commandLine(), "--nodes must be 3 or 5 (a majority and a minority), got " + nodes);
    }
    if (durationSeconds <= 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--duration must be a positive number of seconds of faults, got " + durationSeconds);
    }
    if (basePort < 1024 || basePort + NemesisCluster.PORTS_PER_NODE * nodes > 65535) {
      throw new ParameterException(
          spec.commandLine(),
          "--base-port must be 1024-"
              + (65535 - NemesisCluster.PORTS_PER_NODE * nodes)
              + ", got "
              + basePort);
    }
    if (faults == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(faults.stream().map(FaultKind::parse).toList());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--faults: " + e.getMessage(), e);
    }
  }
}
