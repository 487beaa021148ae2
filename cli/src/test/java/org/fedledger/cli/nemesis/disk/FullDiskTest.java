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
 * The leader's disk fills up under transfers: it must stop (fail-stop, exit status 70) with a log
 * line that says why and what to do, rather than keep admitting and serving; the other two go on.
 * Restarted once there is room again, it catches up, and every node agrees on every block, with
 * every acknowledged transfer committed once.
 */
@Timeout(value = 110, unit = TimeUnit.SECONDS)
class FullDiskTest {
  @TempDir Path dir;

  @Test
  void aNodeOnAFullDiskStopsAndCatchesUpOnceRestartedWithRoom() throws Exception {
    try (ProcessNetwork net = ProcessNetwork.create(dir.resolve("net"), "disk-test", c -> c)) {
      net.startAll();
      List<Integer> all = net.all();
      net.awaitReady(all, Duration.ofSeconds(60));
      net.sendFor(Duration.ofSeconds(2), all);

      int victim = net.leaderIndex(all);
      NodeProcess node = net.node(victim);
      // Room for its own log to grow (so that the reason can be read), none for much else: every
      // state file that grows past this fails to, as on a full disk.
      DiskFaults.limitWrites(node.pid(), Files.size(node.log()) + 64 * 1024);
      List<Integer> others = all.stream().filter(i -> i != victim).toList();
      Optional<Integer> exit = Optional.empty();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
      while (exit.isEmpty() && System.nanoTime() < deadline) {
        net.sendFor(Duration.ofSeconds(1), node.isAlive() ? all : others);
        exit = node.awaitExit(Duration.ofMillis(10));
      }
      String log = Files.readString(node.log());
      assertThat(exit).as("the full node's exit status; see %s", node.log()).contains(70);
      assertThat(log).contains("Raft stopped while the node runs").contains("the node stops");

      net.sendFor(Duration.ofSeconds(2), others);
      node.start(); // a new process: no write limit, as once space is freed
      net.awaitReady(all, Duration.ofSeconds(60));
      net.sendFor(Duration.ofSeconds(2), all);
      net.awaitCommitted(all, Duration.ofSeconds(60));
      net.checkAgreement(all);
      assertThat(net.height(victim)).isPositive();
    }
  }
}
