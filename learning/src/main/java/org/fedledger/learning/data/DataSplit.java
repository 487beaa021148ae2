package org.fedledger.learning.data;

/**
 * A data set's training and test parts, and where they came from.
 *
 * @param train samples to partition among clients and train on
 * @param test held-out samples to evaluate global models on
 * @param source a human-readable account of the origin, e.g. which directory, or that the embedded
 *     test split was divided
 */
public record DataSplit(LabeledData train, LabeledData test, String source) {}
