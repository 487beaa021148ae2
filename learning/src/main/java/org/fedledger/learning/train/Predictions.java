package org.fedledger.learning.train;

/**
 * A model's raw outputs on a data set, before any metric is computed.
 *
 * @param outputs row-major, one row of the spec's outputs per sample
 * @param lossSum the loss summed over the samples
 */
public record Predictions(float[] outputs, double lossSum) {}
