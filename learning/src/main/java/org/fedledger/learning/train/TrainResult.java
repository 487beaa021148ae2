package org.fedledger.learning.train;

import org.fedledger.learning.tensor.Weights;

/**
 * What one round of local training produced.
 *
 * @param weights the new local weights (not a delta)
 * @param sampleCount number of local samples trained on (the FedAvg weight)
 * @param meanLoss mean data loss (cross-entropy, without the FedProx term) over every sample seen
 *     in every epoch
 * @param steps optimiser steps taken
 */
public record TrainResult(Weights weights, int sampleCount, double meanLoss, int steps) {}
