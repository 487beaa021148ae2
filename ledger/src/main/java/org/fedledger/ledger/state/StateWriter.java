package org.fedledger.ledger.state;

/** Reads and changes world-state values. */
public interface StateWriter extends StateReader {
  /** Sets key to value; both arrays are owned by the store afterwards. */
  void put(byte[] key, byte[] value);

  void delete(byte[] key);
}
