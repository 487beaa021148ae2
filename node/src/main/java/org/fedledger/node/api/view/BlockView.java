package org.fedledger.node.api.view;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.Block;
import org.fedledger.core.proto.BlockHeader;
import org.fedledger.core.proto.Receipt;

/**
 * A block: its header fields, its transactions with their receipts, and the encoded header (base64)
 * whose SHA-256 is the block hash.
 */
public record BlockView(
    long height,
    String hash,
    String chainId,
    String parentHash,
    long timestampMillis,
    String proposer,
    String txRoot,
    String receiptsRoot,
    String stateRoot,
    int txCount,
    String encodedHeader,
    List<Entry> transactions) {

  /** A transaction of the block with its receipt. */
  public record Entry(TxView tx, ReceiptView receipt) {}

  public static BlockHeader header(Block block) {
    try {
      return BlockHeader.parseFrom(block.getHeader());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored block has an undecodable header", e);
    }
  }

  public static BlockView of(Block block, List<Receipt> receipts) {
    BlockHeader h = header(block);
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < block.getTransactionsCount(); i++) {
      entries.add(
          new Entry(
              TxView.of(block.getTransactions(i)),
              i < receipts.size() ? ReceiptView.of(receipts.get(i)) : null));
    }
    return new BlockView(
        h.getHeight(),
        Sha256.hash(block.getHeader().toByteArray()).toHex(),
        h.getChainId(),
        Hex.of(h.getParentHash()),
        h.getTimestampMillis(),
        Hex.of(h.getProposer()),
        Hex.of(h.getTxRoot()),
        Hex.of(h.getReceiptsRoot()),
        Hex.of(h.getStateRoot()),
        h.getTxCount(),
        Base64.getEncoder().encodeToString(block.getHeader().toByteArray()),
        entries);
  }
}
