package org.fedledger.learning.train;

/**
 * Quality of weights on a labelled data set.
 *
 * @param accuracy fraction of samples whose arg-max prediction equals the label
 * @param loss mean cross-entropy
 * @param sampleCount number of samples evaluated
 */
public record Evaluation(double accuracy, double loss, int sampleCount) {}
