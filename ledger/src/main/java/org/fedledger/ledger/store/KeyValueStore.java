package org.fedledger.ledger.store;

import java.nio.file.Path;
import java.util.function.BiConsumer;

/**
 * Byte keys to byte values in named columns. Reads see the last committed batch; writes only go
 * through {@link #commit}, so a block's state, block, index, receipts and consensus marker land
 * together or not at all.
 */
public interface KeyValueStore extends AutoCloseable {

  /** The value of key in column, or null. */
  byte[] get(Column column, byte[] key);

  /**
   * Calls visitor with each entry of column whose key is in [from, to) (unsigned byte order), in
   * key order, as of the last committed batch.
   */
  void scan(Column column, byte[] from, byte[] to, BiConsumer<byte[], byte[]> visitor);

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
