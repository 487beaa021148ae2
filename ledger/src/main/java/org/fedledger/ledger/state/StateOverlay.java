package org.fedledger.ledger.state;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Uncommitted changes on top of a parent reader: the block's changes over committed state, or one
 * transaction's over the block's. A transaction's overlay is merged into the block's when it
 * succeeds and dropped when it fails, which is how a failed transaction leaves no trace.
 *
 * <p>Sorted by key (unsigned bytes), so that everything derived from it is in the same order on
 * every node.
 */
public final class StateOverlay implements StateWriter {
  /** Marks a deleted key; compared by identity, so an empty value stays a value. */
  private static final byte[] TOMBSTONE = new byte[0];

  private final StateReader parent;
  private final TreeMap<byte[], byte[]> changes = new TreeMap<>(Arrays::compareUnsigned);

  public StateOverlay(StateReader parent) {
    this.parent = parent;
  }

  @Override
  public byte[] get(byte[] key) {
    byte[] v = changes.get(key);
    if (v == TOMBSTONE) {
      return null;
    }
    return v != null ? v : parent.get(key);
  }

  @Override
  public void put(byte[] key, byte[] value) {
    if (value == null) {
      throw new IllegalArgumentException("null value; use delete to remove a key");
    }
    changes.put(key, value);
  }

  @Override
  public void delete(byte[] key) {
    changes.put(key, TOMBSTONE);
  }

  /** Applies these changes to target (normally the parent). */
  public void mergeInto(StateWriter target) {
    for (Map.Entry<byte[], byte[]> e : changes.entrySet()) {
      if (e.getValue() == TOMBSTONE) {
        target.delete(e.getKey());
      } else {
        target.put(e.getKey(), e.getValue());
      }
    }
  }

  /** The changes in key order; a null value means deleted. */
  public NavigableMap<byte[], byte[]> changes() {
    TreeMap<byte[], byte[]> out = new TreeMap<>(Arrays::compareUnsigned);
    for (Map.Entry<byte[], byte[]> e : changes.entrySet()) {
      out.put(e.getKey(), e.getValue() == TOMBSTONE ? null : e.getValue());
    }
    return Collections.unmodifiableNavigableMap(out);
  }

  public int size() {
    return changes.size();
  }
}
