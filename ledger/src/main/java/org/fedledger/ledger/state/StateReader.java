package org.fedledger.ledger.state;

/** Reads world-state values by key. */
public interface StateReader {
  /** The value of key, or null if absent. The caller must not modify the returned array. */
  byte[] get(byte[] key);
}
