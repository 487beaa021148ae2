package org.fedledger.learning.client;

import org.fedledger.learning.tensor.Weights;

/**
 * What a client sends after one round: its delta (new local weights minus the global weights, or
 * the attack's replacement), the samples it trained on (the FedAvg weight) and its mean training
 * loss (on the labels it trained on, poisoned ones for a label-flipping client).
 */
public record LocalUpdate(Weights delta, int sampleCount, double meanLoss) {}
