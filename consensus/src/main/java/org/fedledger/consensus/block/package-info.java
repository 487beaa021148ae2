/**
 * Block building on the leader: a loop that cuts a {@link org.fedledger.core.proto.BlockProposal}
 * from the mempool when a block's worth of transactions is pending or the block interval has
 * passed, with the state-root votes collected so far, and hands it to Raft. Several proposals may
 * be in flight at once; a transaction is never in two of them.
 */
package org.fedledger.consensus.block;
