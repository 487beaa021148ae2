/**
 * The port between consensus and the deterministic application (the ledger): the few operations
 * ordering needs — admission checks, applying a block with its consensus marker, the head of the
 * chain and checkpoints — behind one small interface so that consensus knows no RocksDB and the
 * ledger knows no Raft.
 */
package org.fedledger.consensus.app;
