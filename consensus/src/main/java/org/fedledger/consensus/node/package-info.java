/**
 * The public facade of consensus: {@link org.fedledger.consensus.node.ConsensusNode} starts a
 * validator (ledger, mempool, Raft server, block builder, forwarder) from a {@link
 * org.fedledger.consensus.node.NodeConfig}, takes submissions, reports commits and changes
 * membership.
 */
package org.fedledger.consensus.node;
