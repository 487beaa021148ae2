package org.fedledger.cli.nemesis.disk;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The files of a node's data directory that hold state, by who writes them: RocksDB's under {@code
 * ledger/}, Ratis' under {@code raft/<group>/}, and the node's own snapshots under {@code
 * raft/<group>/sm/}. Logs, lock files and RocksDB's OPTIONS files hold no state and are no kind.
 */
public enum DataFileKind {
  /** A RocksDB table file ({@code ledger/*.sst}): the ledger's state and blocks. */
  ROCKSDB_SST,
  /** RocksDB's manifest ({@code ledger/MANIFEST-*}): which table files make up the database. */
  ROCKSDB_MANIFEST,
  /** RocksDB's pointer to the live manifest ({@code ledger/CURRENT}). */
  ROCKSDB_CURRENT,
  /** RocksDB's write-ahead log ({@code ledger/*.log}): writes not yet flushed to a table. */
  ROCKSDB_WAL,
  /** A Raft log segment, closed ({@code log_<first>-<last>}) or open ({@code log_inprogress_*}). */
  RATIS_LOG_SEGMENT,
  /** Raft's term and vote ({@code raft-meta}) or last configuration ({@code raft-meta.conf}). */
  RATIS_METADATA,
  /** A snapshot archive ({@code sm/snapshot.<term>_<index>}) or its digest ({@code .md5}). */
  SNAPSHOT;

  /** The kind of file under dataDir, if it is one that holds state. */
  public static Optional<DataFileKind> of(Path dataDir, Path file) {
    Path relative = dataDir.relativize(file);
    if (relative.getNameCount() < 2) {
      return Optional.empty();
    }
    String top = relative.getName(0).toString();
    String name = file.getFileName().toString();
    if (top.equals("ledger") && relative.getNameCount() == 2) {
      return rocksKind(name);
    }
    if (top.equals("raft")) {
      return raftKind(relative, name);
    }
    return Optional.empty();
  }

  private static Optional<DataFileKind> rocksKind(String name) {
    if (name.endsWith(".sst")) {
      return Optional.of(ROCKSDB_SST);
    }
    if (name.startsWith("MANIFEST-")) {
      return Optional.of(ROCKSDB_MANIFEST);
    }
    if (name.equals("CURRENT")) {
      return Optional.of(ROCKSDB_CURRENT);
    }
    if (name.endsWith(".log")) {
      return Optional.of(ROCKSDB_WAL);
    }
    return Optional.empty();
  }

  private static Optional<DataFileKind> raftKind(Path relative, String name) {
    String parent = relative.getParent().getFileName().toString();
    if (parent.equals("sm") && name.startsWith("snapshot.") && !name.endsWith(".tmp")) {
      return Optional.of(SNAPSHOT);
    }
    if (parent.equals("current") && name.startsWith("log_")) {
      return Optional.of(RATIS_LOG_SEGMENT);
    }
    if (parent.equals("current") && (name.equals("raft-meta") || name.equals("raft-meta.conf"))) {
      return Optional.of(RATIS_METADATA);
    }
    return Optional.empty();
  }
}
