/**
 * Routing to the leader: a follower batches the transactions it admitted and the state-root votes
 * it signed and sends them to the leader as read-only Raft requests, which the leader's state
 * machine feeds to its mempool and vote pool. No per-transaction round trip, no extra protocol.
 */
package org.fedledger.consensus.forward;
