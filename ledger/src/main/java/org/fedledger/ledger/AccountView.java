package org.fedledger.ledger;

import org.fedledger.core.address.Address;

/**
 * An account as of the last committed block.
 *
 * @param balance bank balance in the smallest token unit
 * @param nonce the nonce its next transaction must carry
 */
public record AccountView(Address address, long balance, long nonce) {}
