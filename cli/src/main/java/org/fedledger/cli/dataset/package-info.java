/**
 * {@code fedledger dataset register}: a data owner commits to its data (SHA-256 of a canonical
 * encoding, see {@link org.fedledger.cli.dataset.DataCommitment}) and the uses it consents to; the
 * data never leaves the owner. {@code fedledger dataset split} gives owners on one machine a local
 * dataset each.
 */
package org.fedledger.cli.dataset;
