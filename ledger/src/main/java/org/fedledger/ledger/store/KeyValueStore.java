package org.fedledger.ledger.store;

import java.nio.file.Path;

/**
 * Byte keys to byte values in named columns. Reads see the last committed batch; writes only go
 * through {@link #commit}, so a block's state, block, index, receipts and consensus marker land
 * together or not at all.
 */
public interface KeyValueStore extends AutoCloseable {

  /** The value of key in column, or null. */
  byte[] get(Column column, byte[] key);

  /** Applies every operation of the batch atomically. */
  void commit(WriteSet batch);

  /**
   * Writes a consistent copy of the store to target, which must not exist yet; the copy can be
   * opened as a store of its own.
   */
  void checkpoint(Path target);

  @Override
  void close();
}
