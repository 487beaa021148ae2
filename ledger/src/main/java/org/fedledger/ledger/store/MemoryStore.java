package org.fedledger.ledger.store;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BiConsumer;

/** An in-memory store: for computing a genesis hash without a disk, and for tests. */
public final class MemoryStore implements KeyValueStore {
  private final Map<Column, ConcurrentSkipListMap<byte[], byte[]>> columns =
      new EnumMap<>(Column.class);

  public MemoryStore() {
    for (Column c : Column.values()) {
      columns.put(c, new ConcurrentSkipListMap<>(Arrays::compareUnsigned));
    }
  }

  @Override
  public byte[] get(Column column, byte[] key) {
    byte[] v = columns.get(column).get(key);
    return v == null ? null : v.clone();
  }

  @Override
  public void scan(Column column, byte[] from, byte[] to, BiConsumer<byte[], byte[]> visitor) {
    columns
        .get(column)
        .subMap(from, true, to, false)
        .forEach((k, v) -> visitor.accept(k.clone(), v.clone()));
  }

  @Override
  public synchronized void commit(WriteSet batch) {
    for (WriteSet.Op op : batch.ops()) {
      if (op.value() == null) {
        columns.get(op.column()).remove(op.key());
      } else {
        columns.get(op.column()).put(op.key().clone(), op.value().clone());
      }
    }
  }

  /** Number of entries in a column; for tests. */
  public int size(Column column) {
    return columns.get(column).size();
  }

  /** A copy of a column's entries as hex key → hex value, in key order; for tests. */
  public java.util.SortedMap<String, String> dump(Column column) {
    java.util.TreeMap<String, String> out = new java.util.TreeMap<>();
    java.util.HexFormat hex = java.util.HexFormat.of();
    columns.get(column).forEach((k, v) -> out.put(hex.formatHex(k), hex.formatHex(v)));
    return out;
  }

  @Override
  public void checkpoint(Path target) {
    throw new UnsupportedOperationException("an in-memory store has no checkpoint; use RocksStore");
  }

  @Override
  public void close() {}
}
