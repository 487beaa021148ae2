package org.fedledger.ledger;

import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.SignedTransaction;

/** A transaction as included in the chain, with its receipt and position. */
public record TxRecord(
    Hash hash, SignedTransaction transaction, Receipt receipt, long height, int index) {}
