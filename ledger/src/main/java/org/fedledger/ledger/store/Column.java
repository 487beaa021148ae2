package org.fedledger.ledger.store;

import java.nio.charset.StandardCharsets;

/** The columns of the store; each is a RocksDB column family. */
public enum Column {
  /** World-state key → value (the tree's leaves, readable without walking the tree). */
  STATE_LEAVES("state_leaves"),
  /** State-tree position (depth, path prefix) → node. */
  STATE_NODES("state_nodes"),
  /** Height (8 bytes, big-endian) → encoded Block. */
  BLOCKS("blocks"),
  /** Height → encoded BlockHeader (also inside the block; kept apart for cheap reads). */
  HEADERS("headers"),
  /** Block hash → height. */
  BLOCK_HASHES("block_hashes"),
  /** Transaction hash → location (height, index, whether it consumed its nonce). */
  TX_INDEX("tx_index"),
  /** Height ‖ index → encoded Receipt. */
  RECEIPTS("receipts"),
  /** Chain metadata: last height, genesis hash, consensus marker. */
  META("meta");

  private final String familyName;

  Column(String familyName) {
    this.familyName = familyName;
  }

  public byte[] familyName() {
    return familyName.getBytes(StandardCharsets.UTF_8);
  }
}
