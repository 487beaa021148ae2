package org.fedledger.ledger;

import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.core.hash.Hash;

/**
 * Evidence that a validator signed a state root for a height that differs from the one this node
 * computed: one of the two diverged, and an operator must find out which.
 *
 * @param height the height the vote was about
 * @param validator the validator that signed the vote
 * @param expected the state root this node computed for that height
 * @param got the state root the validator signed
 * @param recordedAtHeight the block whose proposal carried the vote
 */
public record Fault(
    long height, Ed25519PublicKey validator, Hash expected, Hash got, long recordedAtHeight) {}
