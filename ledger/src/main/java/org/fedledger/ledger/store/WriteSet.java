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

  private final ArrayList<Op> ops = new ArrayList<>();

  public WriteSet put(Column column, byte[] key, byte[] value) {
    ops.add(new Op(column, key, Objects.requireNonNull(value, "value; use delete")));
    return this;
  }

  public WriteSet delete(Column column, byte[] key) {
    ops.add(new Op(column, key, null));
    return this;
  }

  /**
   * Makes room for more operations at once: a block's state-tree writes come in thousands, and
   * growing the list step by step copied it a dozen times per block.
   */
  public void ensureCapacity(int moreOps) {
    ops.ensureCapacity(ops.size() + moreOps);
  }

  public List<Op> ops() {
    return Collections.unmodifiableList(ops);
  }

  public int size() {
    return ops.size();
  }
}
