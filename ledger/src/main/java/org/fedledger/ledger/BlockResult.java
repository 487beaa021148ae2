package org.fedledger.ledger;

import java.util.List;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.Block;
import org.fedledger.core.proto.BlockHeader;
import org.fedledger.core.proto.Event;
import org.fedledger.core.proto.Receipt;

/**
 * What applying one proposal produced; identical on every node that applied the same proposals.
 *
 * @param header the derived header
 * @param blockHash SHA-256 of the encoded header
 * @param block the stored block (encoded header and transactions)
 * @param receipts one per transaction, in block order
 * @param blockEvents events not tied to a transaction: state-root votes, faults
 * @param validatorSetChanged true when a transaction in this block added or removed a validator;
 *     the consensus layer then reads {@link Ledger#validators()} and reconfigures
 */
public record BlockResult(
    BlockHeader header,
    Hash blockHash,
    Block block,
    List<Receipt> receipts,
    List<Event> blockEvents,
    boolean validatorSetChanged) {
  public BlockResult {
    receipts = List.copyOf(receipts);
    blockEvents = List.copyOf(blockEvents);
  }

  public long height() {
    return header.getHeight();
  }

  public Hash stateRoot() {
    return Hash.of(header.getStateRoot());
  }
}
