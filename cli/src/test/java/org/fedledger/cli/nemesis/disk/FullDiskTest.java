package org.fedledger.cli.nemesis.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.fedledger.cli.nemesis.NodeProcess;
import org.fedledger.cli.testing.ProcessNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's disk fills up under transfers: it must stop (fail-stop, exit status 70) with a log line
 * that says why and what to do, rather than keep admitting and serving, whether it leads or
 * follows; the other two go on. Restarted once there is room again, it catches up, and every node
 * agrees on every block, with every acknowledged transfer committed once.
 */
@Timeout(value = 110, unit = TimeUnit.SECONDS)
class FullDiskTest {
  /** How long a node whose disk is full may live on before the test calls it stuck. */
  private static final Duration EXIT_BOUND = Duration.ofSeconds(45);

  @TempDir Path dir;

  @Test
  void aLeaderOnAFullDiskStopsAndCatchesUpOnceRestartedWithRoom() throws Exception {
    try (ProcessNetwork net = ProcessNetwork.create(dir.resolve("net"), "disk-test", c -> c)) {
      List<Integer> all = startUnderTransfers(net);
      int victim = net.leaderIndex(all);
      String log = fillDiskUntilExit(net, victim);
      assertThat(log).contains("Raft stopped while the node runs").contains("the node stops");
      restartAndCheckAgreement(net, victim);
    }
  }

  /**
   * A follower writes its Raft log before it applies anything, so its log write fails first; Ratis
   * then fails every later append and does not stop by itself (before issue #20's fix the follower
   * stayed alive at the height of the fault while the others went on).
   */
  @Test
  void aFollowerOnAFullDiskStopsAndCatchesUpOnceRestartedWithRoom() throws Exception {
    try (ProcessNetwork net = ProcessNetwork.create(dir.resolve("net"), "disk-test", c -> c)) {
      List<Integer> all = startUnderTransfers(net);
      int leader = net.leaderIndex(all);
      int victim = all.stream().filter(i -> i != leader).findFirst().orElseThrow();
      String log = fillDiskUntilExit(net, victim);
      assertThat(log)
          .contains("STORAGE FAILURE")
          .contains("Raft stopped while the node runs")
          .contains("the node stops (exit status 70)");
      restartAndCheckAgreement(net, victim);
    }
  }

  private static List<Integer> startUnderTransfers(ProcessNetwork net) throws Exception {
    net.startAll();
    List<Integer> all = net.all();
    net.awaitReady(all, Duration.ofSeconds(60));
    net.sendFor(Duration.ofSeconds(2), all);
    return all;
  }

  /**
   * Fills the victim's disk under transfers, checks that it exits with 70 within the bound while
   * the others commit on, and returns its log.
   */
  private static String fillDiskUntilExit(ProcessNetwork net, int victim) throws Exception {
    NodeProcess node = net.node(victim);
    List<Integer> all = net.all();
    List<Integer> others = all.stream().filter(i -> i != victim).toList();
    long othersHeight = net.height(others.get(0));
    // Room for its own log to grow (so that the reason can be read), none for much else: every
    // state file that grows past this fails to, as on a full disk.
    DiskFaults.limitWrites(node.pid(), Files.size(node.log()) + 64 * 1024);
    Optional<Integer> exit = Optional.empty();
    long deadline = System.nanoTime() + EXIT_BOUND.toNanos();
    while (exit.isEmpty() && System.nanoTime() < deadline) {
      net.sendFor(Duration.ofSeconds(1), node.isAlive() ? all : others);
      exit = node.awaitExit(Duration.ofMillis(10));
    }
    assertThat(exit)
        .as("the full node's exit status within %s; see %s", EXIT_BOUND, node.log())
        .contains(70);
    net.sendFor(Duration.ofSeconds(2), others);
    assertThat(net.height(others.get(0)))
        .as("the others commit on without the stopped node")
        .isGreaterThan(othersHeight);
    return Files.readString(node.log());
  }

  private static void restartAndCheckAgreement(ProcessNetwork net, int victim) throws Exception {
    List<Integer> all = net.all();
    net.node(victim).start(); // a new process: no write limit, as once space is freed
    net.awaitReady(all, Duration.ofSeconds(60));
    net.sendFor(Duration.ofSeconds(2), all);
    net.awaitCommitted(all, Duration.ofSeconds(60));
    net.checkAgreement(all);
    assertThat(net.height(victim)).isPositive();
  }
}
