/**
 * Labelled data sets for local training: the in-memory {@link
 * org.fedledger.learning.data.LabeledData} with cheap index views, readers for IDX (MNIST,
 * Fashion-MNIST) and CSV files, and {@link org.fedledger.learning.data.Datasets}, which finds
 * Fashion-MNIST on disk or falls back to the test split embedded in this jar.
 */
package org.fedledger.learning.data;
