/**
 * The public facade of consensus: {@link org.fedledger.consensus.node.ConsensusNode} starts a
 * validator (ledger, mempool, Raft server, block builder, forwarder) from a {@link
 * org.fedledger.consensus.node.ConsensusConfig}, takes submissions, reports commits and changes
 * membership.
 */
package org.fedledger.consensus.node;
