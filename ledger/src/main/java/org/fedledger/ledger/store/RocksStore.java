package org.fedledger.ledger.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The store on RocksDB, one column family per {@link Column}.
 *
 * <p>Durability: the write-ahead log is on and commits do not fsync it. A killed process (kill -9)
 * loses nothing, because the WAL is in the operating system's page cache once {@code write}
 * returns. A power loss can lose the last blocks; the node then replays them from the Raft log,
 * whose entries are durable before they are applied, and the consensus marker stored with each
 * block tells it where to resume.
 */
public final class RocksStore implements KeyValueStore {
  static {
    RocksDB.loadLibrary();
  }

  /** Shared by all column families; holds hot blocks of state leaves and tree nodes. */
  private static final long BLOCK_CACHE_BYTES = 128L << 20;

  private static final long WRITEBACK_CHUNK_BYTES = 1L << 20;

  /**
   * Memtable size per column family. Small on purpose: the state tree's nodes are overwritten every
   * block, so a large memtable only holds stale versions, and its flush (with the deletion of the
   * WAL behind it) stalled every fsync on the machine, Raft's included. Against the 128 MB that
   * optimizeLevelStyleCompaction picks, 4 MB cut the CPU per transfer by a sixth and the p99 of a
   * three-node network at half of peak from about 190 ms to 83 ms (BENCHMARKS.md, session 7).
   */
  private static final long MEMTABLE_BYTES = 4L << 20;

  private final LRUCache blockCache;
  private final BloomFilter bloomFilter;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final WriteOptions writeOptions;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private final Map<Column, ColumnFamilyHandle> byColumn = new EnumMap<>(Column.class);
  private final RocksDB db;
  private final Path dir;

  private RocksStore(Path dir) throws RocksDBException {
    this.dir = dir;
    dbOptions =
        new DBOptions()
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            .setMaxBackgroundJobs(2)
            // Start writing the WAL and table files out every megabyte instead of leaving tens
            // of megabytes dirty in the page cache: on ext4 the next fsync anywhere (Raft's log
            // syncs every append) has to write all of them first, which stalled a three-node
            // network for about 170 ms every few seconds (JFR FileForce events).
            .setWalBytesPerSync(WRITEBACK_CHUNK_BYTES)
            .setBytesPerSync(WRITEBACK_CHUNK_BYTES);
    blockCache = new LRUCache(BLOCK_CACHE_BYTES);
    // Most point reads of a block are for keys that do not exist yet (new transaction hashes,
    // new accounts); Bloom filters answer those without touching the files.
    bloomFilter = new BloomFilter(10);
    cfOptions =
        new ColumnFamilyOptions()
            .optimizeLevelStyleCompaction()
            .setWriteBufferSize(MEMTABLE_BYTES)
            .setTableFormatConfig(
                new BlockBasedTableConfig()
                    .setBlockCache(blockCache)
                    .setFilterPolicy(bloomFilter)
                    .setCacheIndexAndFilterBlocks(true));
    writeOptions = new WriteOptions().setSync(false).setDisableWAL(false);
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
    for (Column c : Column.values()) {
      descriptors.add(new ColumnFamilyDescriptor(c.familyName(), cfOptions));
    }
    RocksDB opened;
    try {
      opened = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
    } catch (RocksDBException e) {
      closeOptions();
      throw e;
    }
    try {
      // Every table file's checksums, read once at start: a damaged file then stops the node
      // here, with the reason, instead of at the first read of the damaged block.
      opened.verifyChecksum();
    } catch (RocksDBException e) {
      for (ColumnFamilyHandle h : handles) {
        h.close();
      }
      handles.clear();
      opened.close();
      closeOptions();
      throw e;
    }
    db = opened;
    // The handles follow the descriptors: the default family, then the columns in order.
    Column[] columns = Column.values();
    for (int i = 0; i < columns.length; i++) {
      byColumn.put(columns[i], handles.get(i + 1));
    }
  }

  /** Opens or creates the store in dir. */
  public static RocksStore open(Path dir) {
    try {
      Files.createDirectories(dir);
      return new RocksStore(dir);
    } catch (RocksDBException e) {
      throw new StoreException(openFailure(dir, e), e);
    } catch (java.io.IOException e) {
      throw new StoreException("cannot create data directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Why the store in dir did not open, and what to do: a lock held, or damaged files. */
  static String openFailure(Path dir, RocksDBException e) {
    String reason = e.getMessage();
    // Another process: "While lock file: .../LOCK: Resource temporarily unavailable"; this one:
    // "lock hold by current process ... /LOCK: No locks available". Not "block checksum ...".
    if (reason != null && reason.contains("LOCK")) {
      return "cannot open RocksDB in " + dir + ": " + reason + " (is another process using it?)";
    }
    String what =
        e.getStatus() != null && e.getStatus().getCode() == Status.Code.Corruption
            ? "is corrupt"
            : "cannot be read (a damaged or missing CURRENT, MANIFEST or table file)";
    return "the ledger database in "
        + dir
        + " "
        + what
        + " (RocksDB: "
        + reason
        + "); the node refuses to run on it. Move the node's data directory aside and start the"
        + " node again: it restores its state from its peers (docs/faults.md)";
  }

  @Override
  public byte[] get(Column column, byte[] key) {
    try {
      return db.get(byColumn.get(column), key);
    } catch (RocksDBException e) {
      throw new StoreException("read from " + column + " in " + dir + " failed", e);
    }
  }

  @Override
  public void scan(Column column, byte[] from, byte[] to, BiConsumer<byte[], byte[]> visitor) {
    try (Slice upper = new Slice(to);
        ReadOptions options = new ReadOptions().setIterateUpperBound(upper);
        RocksIterator it = db.newIterator(byColumn.get(column), options)) {
      for (it.seek(from); it.isValid(); it.next()) {
        visitor.accept(it.key(), it.value());
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StoreException("scan of " + column + " in " + dir + " failed", e);
    }
  }

  @Override
  public void commit(WriteSet batch) {
    try (WriteBatch wb = toWriteBatch(batch)) {
      db.write(writeOptions, wb);
    } catch (RocksDBException e) {
      throw new StoreException("atomic write of " + batch.size() + " operations failed", e);
    }
  }

  /**
   * The batch in RocksDB's serialized WriteBatch format, handed over in one native call instead of
   * one per operation (a block has thousands). The format is RocksDB's stable WAL record format
   * (db/write_batch.cc); {@code RocksStoreTest} checks it byte for byte against a WriteBatch built
   * operation by operation, so that an upgrade that changes it fails the build.
   */
  WriteBatch toWriteBatch(WriteSet batch) {
    return new WriteBatch(WriteBatchEncoding.encode(batch, c -> byColumn.get(c).getID()));
  }

  /** The same batch built one native call per operation; the reference for the encoding test. */
  WriteBatch toWriteBatchPerOperation(WriteSet batch) throws RocksDBException {
    WriteBatch wb = new WriteBatch();
    for (WriteSet.Op op : batch.ops()) {
      if (op.value() == null) {
        wb.delete(byColumn.get(op.column()), op.key());
      } else {
        wb.put(byColumn.get(op.column()), op.key(), op.value());
      }
    }
    return wb;
  }

  @Override
  public void checkpoint(Path target) {
    if (Files.exists(target)) {
      throw new StoreException("checkpoint target " + target + " already exists; choose a new one");
    }
    try (Checkpoint cp = Checkpoint.create(db)) {
      // Flushes memtables first, so the checkpoint holds everything committed, WAL or not.
      cp.createCheckpoint(target.toString());
    } catch (RocksDBException e) {
      throw new StoreException("checkpoint to " + target + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    for (ColumnFamilyHandle h : handles) {
      h.close();
    }
    db.close();
    closeOptions();
  }

  private void closeOptions() {
    writeOptions.close();
    cfOptions.close();
    dbOptions.close();
    bloomFilter.close();
    blockCache.close();
  }
}
