/**
 * Labelled data sets for local training: the in-memory {@link
 * org.fedledger.learning.data.LabeledData} (class labels or regression targets) with cheap index
 * views; readers for CSV tables, image folders and IDX folders under a dataset schema ({@link
 * org.fedledger.learning.data.DatasetReader}); {@link org.fedledger.learning.data.SchemaInference},
 * which proposes a schema; the dataset commitment an owner registers; the seeded local test split;
 * and {@link org.fedledger.learning.data.Datasets}, which finds Fashion-MNIST on disk or falls back
 * to the test split embedded in this jar.
 */
package org.fedledger.learning.data;
