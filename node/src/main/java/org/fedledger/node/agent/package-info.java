/**
 * The node's training agents. Each follows committed blocks and the training module's state and
 * does its part of a round on its own thread, never on Raft's apply thread: a {@link
 * org.fedledger.node.agent.ParticipantAgent} trains and submits updates when selected; a {@link
 * org.fedledger.node.agent.ValidatorAgent} aggregates the rounds the chain names it for and re-runs
 * (verifies) the others' commits. {@link org.fedledger.node.agent.RoundAggregation} is the one
 * deterministic computation both roles, and the {@link org.fedledger.node.agent.ModelAuditor}, run:
 * updates in the job's member order, from the global weights and server optimizer state the
 * previous round recorded. Participants seed their training from the job's seed, the round and
 * their member index, as a simulation of the same job does, so a job can be reproduced off chain.
 */
package org.fedledger.node.agent;
