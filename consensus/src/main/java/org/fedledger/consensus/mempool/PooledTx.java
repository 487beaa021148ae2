package org.fedledger.consensus.mempool;

import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.SignedTransaction;

/**
 * An admitted transaction as the mempool keeps it: the envelope ready to go into a proposal, with
 * the fields ordering needs.
 */
public record PooledTx(Hash hash, SignedTransaction signed, Address sender, long nonce, int size) {}
