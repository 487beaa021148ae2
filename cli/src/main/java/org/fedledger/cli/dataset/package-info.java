/**
 * {@code fedledger dataset schema} proposes a dataset schema for a CSV file, an image folder or an
 * IDX folder; {@code fedledger dataset register}: a data owner reads its data under the schema,
 * commits to it (SHA-256 of the samples as read, see {@link
 * org.fedledger.learning.data.DatasetCommitment}) and registers the commitment, the schema's hash
 * and the uses it consents to; the data never leaves the owner. {@code fedledger dataset split}
 * gives owners on one machine a local dataset each.
 */
package org.fedledger.cli.dataset;
