package org.fedledger.ledger.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An ordered list of puts and deletes to commit atomically. Plain Java, so that building a block's
 * writes needs no native handle; the store turns it into a RocksDB WriteBatch at commit.
 */
public final class WriteSet {
  /** One operation; value null means delete. */
  public record Op(Column column, byte[] key, byte[] value) {}

  private final List<Op> ops = new ArrayList<>();

  public WriteSet put(Column column, byte[] key, byte[] value) {
    ops.add(new Op(column, key, Objects.requireNonNull(value, "value; use delete")));
    return this;
  }

  public WriteSet delete(Column column, byte[] key) {
    ops.add(new Op(column, key, null));
    return this;
  }

  public List<Op> ops() {
    return Collections.unmodifiableList(ops);
  }

  public int size() {
    return ops.size();
  }
}
