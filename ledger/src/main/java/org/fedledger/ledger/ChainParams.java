package org.fedledger.ledger;

import org.fedledger.ledger.module.Bytes;
import org.fedledger.ledger.module.ExecutionContext;
import org.fedledger.ledger.module.ModuleStore;
import org.fedledger.ledger.module.StoreKey;

/**
 * The network-wide parameters a genesis fixes beyond modules' state, written into the genesis state
 * so that the genesis hash covers them: two nodes given genesis files that differ in them refuse
 * each other's data instead of cutting or executing blocks differently. State (under
 * "chain_params/"): {@code block/max_transactions} and {@code block/max_bytes}, 8 bytes each.
 */
public final class ChainParams {
  private static final StoreKey KEY = new StoreKey("chain_params");
  private static final byte[] MAX_TRANSACTIONS = Bytes.utf8("block/max_transactions");
  private static final byte[] MAX_BYTES = Bytes.utf8("block/max_bytes");

  private ChainParams() {}

  static void writeGenesis(Genesis genesis, ExecutionContext ctx) {
    ModuleStore store = ctx.store(KEY);
    store.putLong(MAX_TRANSACTIONS, genesis.blockLimits().maxTransactions());
    store.putLong(MAX_BYTES, genesis.blockLimits().maxBytes());
  }
}
