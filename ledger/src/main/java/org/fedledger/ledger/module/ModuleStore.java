package org.fedledger.ledger.module;

import java.nio.charset.StandardCharsets;
import org.fedledger.ledger.state.StateReader;
import org.fedledger.ledger.state.StateWriter;

/**
 * One module's view of state: keys are relative to its {@link StoreKey}'s prefix. Read-only when
 * made for queries and admission checks, which must never change state.
 */
public final class ModuleStore {
  private final StoreKey key;
  private final StateReader reader;
  private final StateWriter writer;

  private ModuleStore(StoreKey key, StateReader reader, StateWriter writer) {
    this.key = key;
    this.reader = reader;
    this.writer = writer;
  }

  public static ModuleStore writable(StoreKey key, StateWriter state) {
    return new ModuleStore(key, state, state);
  }

  public static ModuleStore readOnly(StoreKey key, StateReader state) {
    return new ModuleStore(key, state, null);
  }

  public byte[] get(byte[] key) {
    return reader.get(this.key.fullKey(key));
  }

  public byte[] get(String key) {
    return get(key.getBytes(StandardCharsets.UTF_8));
  }

  public void put(byte[] key, byte[] value) {
    requireWritable().put(this.key.fullKey(key), value);
  }

  public void put(String key, byte[] value) {
    put(key.getBytes(StandardCharsets.UTF_8), value);
  }

  public void delete(byte[] key) {
    requireWritable().delete(this.key.fullKey(key));
  }

  /** The value of key as an unsigned 64-bit count stored big-endian; 0 if absent. */
  public long getLong(byte[] key) {
    return Bytes.toLong(get(key));
  }

  public void putLong(byte[] key, long value) {
    put(key, Bytes.ofLong(value));
  }

  private StateWriter requireWritable() {
    if (writer == null) {
      throw new IllegalStateException(
          "state of module " + key.name() + " is read-only here (query or admission check)");
    }
    return writer;
  }
}
