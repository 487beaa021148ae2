/**
 * The training module: federated-learning jobs on chain. A sponsor escrows a reward ({@code
 * CreateJob}), data owners join with a consenting dataset and a stake ({@code JoinJob}), the
 * sponsor starts the job, and each round runs OPEN (selected participants submit update hashes) →
 * COMMITTED (the round's aggregator commits the aggregate hash, its verdicts and ppm scores) →
 * FINAL (a quorum of other validators attested the same hash): rewards are paid from escrow by
 * score, rejected updates are slashed, the next round opens; after the last round the model is
 * registered with its lineage. Deadlines are block heights, processed lazily by every training
 * message (and by {@code Advance}); selection and aggregator choice use only the parent block's
 * state root as randomness.
 *
 * <p>In the shape of a Cosmos SDK module: {@code TrainingModule} registers the messages and answers
 * queries; {@code TrainingMessages} and {@code TrainingEvents} name the messages, events and
 * attributes (one factory per event); {@code JobHandlers} and {@code RoundHandlers} execute the
 * messages; {@code RoundEngine} opens, reopens, finalizes and completes rounds; {@code RoundPhase}
 * is the one rule for a round's phase at a height, also read by the node's agents; {@code JobRules}
 * and {@code CommitRules} hold the well-formedness and join rules.
 */
package org.fedledger.ledger.training;
