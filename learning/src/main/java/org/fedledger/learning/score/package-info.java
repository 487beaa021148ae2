/**
 * Contribution scores: how much each accepted update is worth, as integer parts per million that
 * sum to exactly 1,000,000, so the chain can pay rewards from them without floating point. {@link
 * org.fedledger.learning.score.CosineScorer} uses the updates alone and is deterministic (a
 * verifier recomputes it); {@link org.fedledger.learning.score.LeaveOneOutScorer} measures each
 * update's marginal value on a validation set and is for analysis, not consensus.
 */
package org.fedledger.learning.score;
