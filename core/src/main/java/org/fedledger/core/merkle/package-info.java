/**
 * Binary Merkle trees over lists of hashes (RFC 6962 style, with domain-separated leaves and
 * nodes), and inclusion proofs that travel on the wire.
 */
package org.fedledger.core.merkle;
