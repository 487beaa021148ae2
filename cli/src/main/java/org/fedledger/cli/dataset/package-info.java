/**
 * {@code fedledger dataset register}: a data owner commits to its data (SHA-256 of a canonical
 * encoding, see {@link org.fedledger.cli.dataset.DataCommitment}) and the uses it consents to; the
 * data never leaves the owner.
 */
package org.fedledger.cli.dataset;
