/**
 * The node's training agents. Each follows committed blocks and the training module's state and
 * does its part of a round on its own thread, never on Raft's apply thread: a {@link
 * org.fedledger.node.agent.ParticipantAgent} trains and submits updates when selected; a {@link
 * org.fedledger.node.agent.ValidatorAgent} aggregates the rounds the chain names it for and re-runs
 * (verifies) the others' commits. {@link org.fedledger.node.agent.RoundAggregation} is the one
 * deterministic computation both roles, and the {@link org.fedledger.node.agent.ModelAuditor}, run.
 */
package org.fedledger.node.agent;
