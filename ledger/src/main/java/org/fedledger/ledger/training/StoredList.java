package org.fedledger.ledger.training;

import java.util.ArrayList;
import java.util.List;
import org.fedledger.ledger.module.Bytes;
import org.fedledger.ledger.module.ModuleStore;

/**
 * An append-only list kept in state one entry per key, {@code <name>/<scope><index 8B>}, and an
 * optional lookup {@code <name>_by/<scope><id>} → index, so that adding an entry writes that entry
 * alone, however many came before (issue #21: a record that held the whole list was rewritten on
 * every append). The list's length is kept by its owner, in the parent record. The store has no
 * range scans, so entries are read by index, 0 to length: always in append order.
 */
final class StoredList {
  private final ModuleStore store;
  private final byte[] entryPrefix;
  private final byte[] lookupPrefix;

  /**
   * @param name the key name (e.g. "submission"); the lookup is under name + "_by"
   * @param scope what the list belongs to (e.g. job id ‖ round), the same length for every list of
   *     one name, so that no scope is a prefix of another's key
   */
  StoredList(ModuleStore store, String name, byte[] scope) {
    this.store = store;
    this.entryPrefix = Bytes.concat(Bytes.utf8(name + "/"), scope);
    this.lookupPrefix = Bytes.concat(Bytes.utf8(name + "_by/"), scope);
  }

  /** Stores value as entry index and, when id is not null, the lookup id → index. */
  void put(long index, byte[] id, byte[] value) {
    store.put(entryKey(index), value);
    if (id != null) {
      store.put(lookupKey(id), Bytes.ofLong(index));
    }
  }

  /** Entry index, or null if absent. */
  byte[] get(long index) {
    return store.get(entryKey(index));
  }

  /** The entry stored under id, or null if none is. */
  byte[] byId(byte[] id) {
    byte[] index = store.get(lookupKey(id));
    return index == null ? null : get(Bytes.toLong(index));
  }

  boolean contains(byte[] id) {
    return store.get(lookupKey(id)) != null;
  }

  /** Entries 0 to length - 1, in append order. */
  List<byte[]> read(long length) {
    List<byte[]> out = new ArrayList<>();
    for (long i = 0; i < length; i++) {
      byte[] b = get(i);
      if (b == null) {
        throw new IllegalStateException(
            "corrupt training state: entry " + i + " of " + length + " is missing");
      }
      out.add(b);
    }
    return out;
  }

  /** Deletes entries 0 to length - 1 and, for each, the lookup idOf gives. */
  void clear(long length, java.util.function.Function<byte[], byte[]> idOf) {
    for (long i = 0; i < length; i++) {
      byte[] b = get(i);
      if (b == null) {
        continue;
      }
      byte[] id = idOf.apply(b);
      if (id != null) {
        store.delete(lookupKey(id));
      }
      store.delete(entryKey(i));
    }
  }

  private byte[] entryKey(long index) {
    return Bytes.concat(entryPrefix, Bytes.ofLong(index));
  }

  private byte[] lookupKey(byte[] id) {
    return Bytes.concat(lookupPrefix, id);
  }
}
