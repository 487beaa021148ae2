package org.fedledger.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.WriteBatch;

class RocksStoreTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void scanVisitsTheKeysFromInclusiveToExclusiveInUnsignedOrderLikeTheMemoryStore() {
    WriteSet batch = new WriteSet();
    for (int k : new int[] {0x00, 0x10, 0x7f, 0x80, 0xfe, 0xff}) {
      batch.put(Column.STATE_NODES, new byte[] {1, (byte) k}, new byte[] {(byte) k});
    }
    batch.put(Column.STATE_NODES, new byte[] {2}, b("after"));
    batch.put(Column.STATE_LEAVES, new byte[] {1, 0x20}, b("other column"));
    MemoryStore memory = new MemoryStore();
    memory.commit(batch);
    try (RocksStore store = RocksStore.open(dir)) {
      store.commit(batch);
      for (KeyValueStore s : List.of(store, memory)) {
        List<Integer> seen = new ArrayList<>();
        s.scan(
            Column.STATE_NODES,
            new byte[] {1, 0x10},
            new byte[] {1, (byte) 0xff},
            (k, v) -> {
              assertThat(v).containsExactly(k[1]);
              seen.add(k[1] & 0xff);
            });
        assertThat(seen).as(s.getClass().getSimpleName()).containsExactly(0x10, 0x7f, 0x80, 0xfe);
      }
    }
  }

  @Test
  void batchesCommitAcrossColumnsAndSurviveReopen() {
    try (RocksStore store = RocksStore.open(dir)) {
      store.commit(
          new WriteSet()
              .put(Column.META, b("k"), b("meta"))
              .put(Column.BLOCKS, b("k"), b("block"))
              .put(Column.STATE_LEAVES, b("gone"), b("x"))
              .delete(Column.STATE_LEAVES, b("gone")));
      assertThat(store.get(Column.META, b("k"))).isEqualTo(b("meta"));
      assertThat(store.get(Column.BLOCKS, b("k"))).isEqualTo(b("block"));
      assertThat(store.get(Column.RECEIPTS, b("k"))).isNull();
      assertThat(store.get(Column.STATE_LEAVES, b("gone"))).isNull();
    }
    try (RocksStore store = RocksStore.open(dir)) {
      assertThat(store.get(Column.BLOCKS, b("k"))).isEqualTo(b("block"));
    }
  }

  @Test
  void theSerializedBatchIsByteForByteTheOneRocksDbBuildsOperationByOperation() throws Exception {
    byte[] big = new byte[70_000]; // lengths of 1, 2 and 3 varint bytes
    big[69_999] = 9;
    WriteSet batch =
        new WriteSet()
            .put(Column.META, b("k"), b("meta"))
            .put(Column.STATE_NODES, new byte[200], big)
            .delete(Column.STATE_LEAVES, b("gone"))
            .put(Column.RECEIPTS, new byte[0], new byte[0]);
    try (RocksStore store = RocksStore.open(dir);
        WriteBatch encoded = store.toWriteBatch(batch);
        WriteBatch reference = store.toWriteBatchPerOperation(batch)) {
      assertThat(encoded.count()).isEqualTo(4);
      assertThat(encoded.data()).isEqualTo(reference.data());
      store.commit(batch);
      assertThat(store.get(Column.STATE_NODES, new byte[200])).isEqualTo(big);
      assertThat(store.get(Column.RECEIPTS, new byte[0])).isEmpty();
    }
  }

  @Test
  void aSecondOpenOfTheSameDirectoryIsRefusedWithAHint() {
    try (RocksStore store = RocksStore.open(dir)) {
      assertThatThrownBy(() -> RocksStore.open(dir))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("another process");
    }
  }

  @Test
  void checkpointIsAnIndependentCopy(@TempDir Path scratch) {
    Path cp = scratch.resolve("cp");
    try (RocksStore store = RocksStore.open(dir)) {
      store.commit(new WriteSet().put(Column.META, b("a"), b("1")));
      store.checkpoint(cp);
      store.commit(new WriteSet().put(Column.META, b("a"), b("2")));
      assertThatThrownBy(() -> store.checkpoint(cp)).isInstanceOf(StoreException.class);
    }
    try (RocksStore copy = RocksStore.open(cp)) {
      assertThat(copy.get(Column.META, b("a"))).isEqualTo(b("1"));
    }
  }

  @Test
  void aTableFileWithAFlippedByteIsRefusedAtOpenWithTheRemedy() throws Exception {
    Path db = dir.resolve("db");
    try (RocksStore store = RocksStore.open(dir.resolve("live"))) {
      WriteSet batch = new WriteSet();
      for (int i = 0; i < 2_000; i++) {
        batch.put(Column.STATE_LEAVES, b("key-" + i), b("value-" + i + "-".repeat(40)));
      }
      store.commit(batch);
      store.checkpoint(db); // flushes: the rows are in a table file
    }
    Path sst;
    try (var files = java.nio.file.Files.list(db)) {
      sst = files.filter(f -> f.toString().endsWith(".sst")).findFirst().orElseThrow();
    }
    byte[] bytes = java.nio.file.Files.readAllBytes(sst);
    bytes[bytes.length / 3] ^= (byte) 0xff; // inside a data block
    java.nio.file.Files.write(sst, bytes);

    assertThatThrownBy(() -> RocksStore.open(db))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("is corrupt")
        .hasMessageContaining("refuses to run on it")
        .hasMessageContaining("data directory aside");
  }

  @Test
  void aMissingManifestIsRefusedAtOpenWithTheRemedy() throws Exception {
    Path db = dir.resolve("db");
    try (RocksStore store = RocksStore.open(db)) {
      store.commit(new WriteSet().put(Column.META, b("k"), b("v")));
    }
    java.nio.file.Files.writeString(db.resolve("CURRENT"), "MANIFEST-999999\n");

    assertThatThrownBy(() -> RocksStore.open(db))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("refuses to run on it")
        .hasMessageContaining("data directory aside");
  }
}
