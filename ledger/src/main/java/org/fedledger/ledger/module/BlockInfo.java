package org.fedledger.ledger.module;

import org.fedledger.core.address.Address;

/**
 * The block being executed, as contracts see it.
 *
 * @param timestampMillis the proposal's timestamp (never a local clock)
 * @param proposer the proposing validator's address, or null at genesis
 */
public record BlockInfo(String chainId, long height, long timestampMillis, Address proposer) {}
