package org.fedledger.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.Block;
import org.fedledger.core.proto.BlockHeader;
import org.fedledger.core.proto.Receipt;
import org.fedledger.ledger.chain.ChainStore;
import org.fedledger.ledger.chain.TxLocation;

/**
 * Reads that join several of the chain store's records; the caller holds the ledger's read lock.
 */
final class ChainRecords {
  private ChainRecords() {}

  /** The receipts of a block, in transaction order; empty for an unknown height. */
  static List<Receipt> receipts(ChainStore chain, long height) {
    Optional<BlockHeader> header = chain.header(height);
    List<Receipt> out = new ArrayList<>();
    if (header.isPresent()) {
      for (int i = 0; i < header.get().getTxCount(); i++) {
        chain.receipt(height, i).ifPresent(out::add);
      }
    }
    return out;
  }

  /** A transaction by hash, with its receipt and position; empty if never included. */
  static Optional<TxRecord> transaction(ChainStore chain, Hash hash) {
    Optional<TxLocation> loc = chain.txLocation(hash);
    if (loc.isEmpty()) {
      return Optional.empty();
    }
    long h = loc.get().height();
    int i = loc.get().index();
    Block block =
        chain.block(h).orElseThrow(() -> new IllegalStateException("block " + h + " missing"));
    Receipt receipt =
        chain.receipt(h, i).orElseThrow(() -> new IllegalStateException("receipt " + h + "/" + i));
    return Optional.of(new TxRecord(hash, block.getTransactions(i), receipt, h, i));
  }
}
