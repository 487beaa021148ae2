package org.fedledger.cli.nemesis.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.fedledger.cli.nemesis.disk.DiskFaults.Damage;
import org.fedledger.cli.testing.ProbeProcess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskFaultsTest {
  @TempDir Path dir;
  private Path data;

  /** The layout of a node's data directory, with made-up content. */
  @BeforeEach
  void layOutADataDirectory() throws IOException {
    data = dir.resolve("data");
    Path raft = data.resolve("raft/0b5a-group/current");
    Path sm = data.resolve("raft/0b5a-group/sm");
    Files.createDirectories(raft);
    Files.createDirectories(sm);
    Files.createDirectories(data.resolve("ledger"));
    write(data.resolve("ledger/000012.sst"), 4096);
    write(data.resolve("ledger/MANIFEST-000005"), 300);
    Files.writeString(data.resolve("ledger/CURRENT"), "MANIFEST-000005\n");
    write(data.resolve("ledger/000013.log"), 900);
    write(data.resolve("ledger/LOG"), 500);
    write(data.resolve("ledger/OPTIONS-000007"), 500);
    write(raft.resolve("log_0-41"), 2000);
    write(raft.resolve("log_inprogress_42"), 1000);
    Files.writeString(raft.resolve("raft-meta"), "term=3\nvotedFor=node-1\n");
    write(raft.resolve("raft-meta.conf"), 120);
    write(sm.resolve("snapshot.3_41"), 3000);
    Files.writeString(sm.resolve("snapshot.3_41.md5"), "abc *snapshot.3_41\n");
  }

  private static void write(Path file, int size) throws IOException {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    Files.write(file, bytes);
  }

  @Test
  void filesAreSortedIntoTheKindsThatHoldState() {
    assertThat(DiskFaults.filesOf(data, DataFileKind.ROCKSDB_SST))
        .containsExactly(data.resolve("ledger/000012.sst"));
    assertThat(DiskFaults.filesOf(data, DataFileKind.ROCKSDB_CURRENT))
        .containsExactly(data.resolve("ledger/CURRENT"));
    assertThat(DiskFaults.filesOf(data, DataFileKind.RATIS_LOG_SEGMENT)).hasSize(2);
    assertThat(DiskFaults.filesOf(data, DataFileKind.RATIS_METADATA)).hasSize(2);
    assertThat(DiskFaults.filesOf(data, DataFileKind.SNAPSHOT)).hasSize(2);
    assertThat(DataFileKind.of(data, data.resolve("ledger/LOG"))).isEmpty();
    assertThat(DataFileKind.of(data, data.resolve("ledger/OPTIONS-000007"))).isEmpty();
  }

  @Test
  void corruptingChangesBytesOfOneFileOfTheKindAndKeepsItsSize() throws IOException {
    Path sst = data.resolve("ledger/000012.sst");
    byte[] before = Files.readAllBytes(sst);
    Path manifest = data.resolve("ledger/MANIFEST-000005");
    byte[] manifestBefore = Files.readAllBytes(manifest);

    Damage damage = DiskFaults.corruptOneFile(data, DataFileKind.ROCKSDB_SST, new Random(7));

    assertThat(damage.file()).isEqualTo(sst);
    assertThat(damage.kind()).isEqualTo(DataFileKind.ROCKSDB_SST);
    byte[] after = Files.readAllBytes(sst);
    assertThat(after).hasSameSizeAs(before);
    int changed = 0;
    for (int i = 0; i < before.length; i++) {
      changed += before[i] != after[i] ? 1 : 0;
    }
    assertThat(changed).isEqualTo(8);
    assertThat(Files.readAllBytes(manifest)).isEqualTo(manifestBefore);
  }

  @Test
  void aFileShorterThanEightBytesIsFlippedWhole() throws IOException {
    Path current = data.resolve("ledger/CURRENT");
    Files.writeString(current, "MAN");
    DiskFaults.corruptOneFile(data, DataFileKind.ROCKSDB_CURRENT, new Random(1));
    byte[] after = Files.readAllBytes(current);
    assertThat(after).hasSize(3);
    assertThat(after[0]).isEqualTo((byte) ~'M');
  }

  @Test
  void truncatingLeavesTheFileStrictlyShorter() throws IOException {
    for (int seed = 0; seed < 20; seed++) {
      Damage damage = DiskFaults.truncateOneFile(data, new Random(seed));
      assertThat(damage.how()).startsWith("truncated from");
      long[] sizes =
          Arrays.stream(damage.how().replaceAll("[^0-9 ]", "").trim().split(" +", -1))
              .mapToLong(Long::parseLong)
              .toArray();
      assertThat(Files.size(damage.file())).isEqualTo(sizes[1]).isLessThan(sizes[0]);
      layOutADataDirectory();
    }
  }

  @Test
  void aDirectoryWithoutStateFilesIsRefusedWithTheReason() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty/ledger"));
    assertThatThrownBy(() -> DiskFaults.corruptOneFile(empty.getParent(), new Random(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no non-empty state file");
  }

  @Test
  void aLimitedProcessCannotGrowAFileUntilTheLimitIsLifted() throws Exception {
    Path file = dir.resolve("appended");
    try (ProbeProcess probe = ProbeProcess.start(Map.of())) {
      assertThat(probe.ask("append " + file + " 1000")).isEqualTo("ok 1000");

      DiskFaults.limitWrites(probe.pid(), 1500);
      assertThat(probe.ask("append " + file + " 400")).isEqualTo("ok 1400");
      assertThat(probe.ask("append " + file + " 400")).startsWith("fail").contains("too large");
      assertThat(probe.ask("append " + dir.resolve("other") + " 10")).isEqualTo("ok 10");

      DiskFaults.limitWrites(probe.pid(), 0);
      assertThat(probe.ask("append " + dir.resolve("other") + " 10")).startsWith("fail");

      DiskFaults.lift(probe.pid());
      assertThat(probe.ask("append " + file + " 400")).startsWith("ok");
    }
  }

  @Test
  void limitingAProcessThatIsGoneFailsWithTheReason() {
    assertThatThrownBy(() -> DiskFaults.limitWrites(Integer.MAX_VALUE - 1, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("prlimit");
    assertThatThrownBy(() -> DiskFaults.limitWrites(1, -5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
