/**
 * Ordering on Apache Ratis: the mempool admits transactions, the leader cuts blocks from it, the
 * Raft log replicates each block as one entry and a thin state machine applies it through the
 * ledger. {@link org.fedledger.consensus.node.ConsensusNode} is the facade the node process uses.
 */
package org.fedledger.consensus;
