/**
 * Authenticated world state: key→value bytes committed to by a compact sparse Merkle tree over
 * SHA-256(key), with inclusion and non-inclusion proofs that a light client verifies against a
 * block header's state root. The hashing rules are in {@link
 * org.fedledger.ledger.state.TreeHashing}; ledger/README.md explains them with the layout.
 */
package org.fedledger.ledger.state;
