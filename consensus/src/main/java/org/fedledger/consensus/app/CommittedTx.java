package org.fedledger.consensus.app;

import org.fedledger.core.hash.Hash;

/**
 * A transaction found in a committed block.
 *
 * @param ok true if it executed; false if it was included but failed (its error says why)
 */
public record CommittedTx(Hash txHash, long height, boolean ok, String error) {}
