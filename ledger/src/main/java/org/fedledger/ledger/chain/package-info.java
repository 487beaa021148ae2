/**
 * The chain's own records in the store: blocks by height and hash, receipts, the transaction index
 * and chain metadata (height, genesis hash, consensus marker). Writes go into a block's {@link
 * org.fedledger.ledger.store.WriteSet}.
 */
package org.fedledger.ledger.chain;
