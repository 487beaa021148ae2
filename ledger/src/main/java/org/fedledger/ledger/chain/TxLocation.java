package org.fedledger.ledger.chain;

import java.nio.ByteBuffer;

/**
 * Where a transaction was included, and whether that inclusion consumed the sender's nonce (it
 * passed signature, chain and nonce checks). A transaction that consumed its nonce can never be
 * included again; one that did not may be, once it becomes valid (e.g. it arrived before its
 * predecessor), and its index entry then moves to the new place.
 */
public record TxLocation(long height, int index, boolean consumedNonce) {
  private static final int ENCODED_LENGTH = 8 + 4 + 1;

  public byte[] encode() {
    return ByteBuffer.allocate(ENCODED_LENGTH)
        .putLong(height)
        .putInt(index)
        .put((byte) (consumedNonce ? 1 : 0))
        .array();
  }

  public static TxLocation decode(byte[] bytes) {
    if (bytes.length != ENCODED_LENGTH) {
      throw new IllegalStateException(
          "corrupt transaction index entry; restore the data directory");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    return new TxLocation(b.getLong(), b.getInt(), b.get() == 1);
  }
}
