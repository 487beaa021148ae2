package org.fedledger.node.agent;

import org.fedledger.learning.model.ModelSpec;

/**
 * What a job of an in-process network asks for (see CreateJob for each field).
 *
 * @param attestQuorum matching attestations that finalize a round; 1 lets a job survive a stopped
 *     validator in a three-validator network
 */
public record JobOptions(
    ModelSpec model,
    long rounds,
    long participantsPerRound,
    String strategy,
    long minUpdates,
    long reward,
    long stake,
    long roundBlocks,
    long commitBlocks,
    long attestQuorum) {
  public static final String USE = "model-training:fashion-mnist";
}
