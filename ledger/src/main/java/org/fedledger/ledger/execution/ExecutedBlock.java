package org.fedledger.ledger.execution;

import java.util.List;
import java.util.SortedMap;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.Event;
import org.fedledger.core.proto.Receipt;
import org.fedledger.ledger.chain.TxLocation;
import org.fedledger.ledger.module.BlockInfo;
import org.fedledger.ledger.state.StateOverlay;

/**
 * A proposal after execution, before anything is committed.
 *
 * @param state every state change of the block
 * @param txHashes in block order
 * @param receipts in block order
 * @param txIndex index entries to write (sorted by hash)
 */
public record ExecutedBlock(
    BlockInfo info,
    StateOverlay state,
    List<Hash> txHashes,
    List<Receipt> receipts,
    List<Event> blockEvents,
    SortedMap<Hash, TxLocation> txIndex,
    boolean validatorSetChanged) {}
