/**
 * Seeded, reproducible ways to split a labelled data set among clients for simulation: IID,
 * Dirichlet over labels and label shards. Kept apart from training, as in Flower, so the same
 * partitions serve simulations and tests.
 */
package org.fedledger.learning.partition;
