/**
 * Storage: one small key-value interface ({@link org.fedledger.ledger.store.KeyValueStore}) with
 * named columns and atomic batches, implemented on RocksDB for nodes and in memory for computing a
 * genesis hash and for tests. Nothing above this package knows RocksDB.
 */
package org.fedledger.ledger.store;
