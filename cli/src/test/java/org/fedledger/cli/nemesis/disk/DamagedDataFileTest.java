package org.fedledger.cli.nemesis.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.fedledger.cli.nemesis.NodeProcess;
import org.fedledger.cli.nemesis.disk.DiskFaults.Damage;
import org.fedledger.cli.testing.ProcessNetwork;
import org.fedledger.node.config.NodeConfig;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A stopped follower's data directory gets one damaged file of each kind that holds state. Started
 * again, the node either refuses to run, saying what is damaged and what to do, after which the
 * operator's remedy (move the data directory aside, start again) restores it from its peers; or it
 * runs and agrees with its peers on every block and balance. It never runs on silently wrong state.
 */
@Timeout(value = 110, unit = TimeUnit.SECONDS)
class DamagedDataFileTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{1} {0}")
  @CsvSource({
    "ROCKSDB_SST, corrupt",
    "ROCKSDB_MANIFEST, corrupt",
    "ROCKSDB_CURRENT, corrupt",
    "ROCKSDB_WAL, corrupt",
    "RATIS_LOG_SEGMENT, truncate",
    "RATIS_METADATA, corrupt",
    "SNAPSHOT, truncate"
  })
  void aNodeNeverRunsOnADamagedFile(DataFileKind kind, String how) throws Exception {
    // A snapshot every 20 entries, so that snapshots and RocksDB table files exist.
    try (ProcessNetwork net =
        ProcessNetwork.create(
            dir.resolve("net"),
            "damage-test",
            c -> c.withTuning(new NodeConfig.Tuning(300L, 20L, null)))) {
      net.startAll();
      List<Integer> all = net.all();
      net.awaitReady(all, Duration.ofSeconds(60));
      int leader = net.leaderIndex(all);
      int victim = (leader + 1) % 3;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
      do {
        net.sendFor(Duration.ofSeconds(2), all);
      } while (DiskFaults.filesOf(net.dataDir(victim), DataFileKind.SNAPSHOT).isEmpty()
          && System.nanoTime() < deadline);
      net.awaitCommitted(all, Duration.ofSeconds(30));
      NodeProcess node = net.node(victim);
      node.terminate();
      // A clean stop can leave no file of the kind to damage (RocksDB's write-ahead log is empty
      // right after a snapshot flushed the memtable): run the victim a little longer and stop it
      // again.
      for (int retry = 0; DiskFaults.filesOf(net.dataDir(victim), kind).isEmpty() && retry < 3; ) {
        retry++;
        node.start();
        net.awaitReady(all, Duration.ofSeconds(60));
        net.sendFor(Duration.ofSeconds(2), all);
        net.awaitCommitted(all, Duration.ofSeconds(30));
        node.terminate();
      }
      Random random = new Random(kind.name().hashCode());
      Damage damage =
          how.equals("corrupt")
              ? DiskFaults.corruptOneFile(net.dataDir(victim), kind, random)
              : DiskFaults.truncateOneFile(net.dataDir(victim), kind, random);
      long logBefore = Files.size(node.log());

      List<Integer> others = all.stream().filter(i -> i != victim).toList();
      net.sendFor(Duration.ofSeconds(1), others);
      node.start();
      Optional<Integer> exit = node.awaitExit(Duration.ofSeconds(20));
      if (exit.isPresent()) {
        String said = Files.readString(node.log()).substring((int) logBefore);
        assertThat(exit.get()).as("exit status after %s", damage).isNotZero();
        assertThat(said)
            .as("what the node said about %s", damage)
            .containsAnyOf("corrupt", "damaged", "cannot be read")
            .contains("data directory aside");
        // The operator's remedy: an empty data directory, restored from the peers.
        Files.move(net.dataDir(victim), dir.resolve("damaged-data"));
        node.start();
      }
      net.awaitReady(all, Duration.ofSeconds(60));
      net.sendFor(Duration.ofSeconds(2), all);
      net.awaitCommitted(all, Duration.ofSeconds(60));
      net.checkAgreement(all);
      System.out.printf(
          "damaged %s (%s): %s%n",
          damage.file(), damage.how(), exit.map(s -> "refused, exit " + s).orElse("ran, agrees"));
    }
  }
}
