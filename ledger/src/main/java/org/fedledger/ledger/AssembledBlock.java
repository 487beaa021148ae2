package org.fedledger.ledger;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedledger.core.block.BlockHashes;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.merkle.MerkleTree;
import org.fedledger.core.proto.Block;
import org.fedledger.core.proto.BlockHeader;
import org.fedledger.core.proto.BlockProposal;
import org.fedledger.core.proto.Receipt;
import org.fedledger.ledger.chain.ChainStore;
import org.fedledger.ledger.chain.TxLocation;
import org.fedledger.ledger.execution.ExecutedBlock;
import org.fedledger.ledger.state.WorldState;
import org.fedledger.ledger.store.WriteSet;

/**
 * The block a proposal becomes once executed: its header (height, parent, time, the transaction,
 * receipt and state roots), hash and body, and the receipts encoded once for both the receipts root
 * and the store. {@link #stage} puts it with its receipts, transaction index and consensus marker
 * into the same batch as the state, so {@link Ledger#applyBlock} commits them atomically.
 */
record AssembledBlock(
    BlockHeader header,
    Hash hash,
    Block block,
    List<byte[]> encodedReceipts,
    Map<Hash, TxLocation> txIndex) {

  static AssembledBlock of(
      String chainId,
      long height,
      long time,
      Hash parentHash,
      BlockProposal proposal,
      ExecutedBlock executed,
      WorldState.Prepared prepared) {
    List<byte[]> encodedReceipts = new ArrayList<>(executed.receipts().size());
    for (Receipt r : executed.receipts()) {
      encodedReceipts.add(r.toByteArray());
    }
    BlockHeader header =
        BlockHeader.newBuilder()
            .setChainId(chainId)
            .setHeight(height)
            .setParentHash(parentHash.toByteString())
            .setTimestampMillis(time)
            .setProposer(proposal.getProposer())
            .setTxRoot(MerkleTree.root(executed.txHashes()).toByteString())
            .setReceiptsRoot(BlockHashes.receiptsRootOfEncoded(encodedReceipts).toByteString())
            .setStateRoot(prepared.newRoot().toByteString())
            .setTxCount(executed.txHashes().size())
            .build();
    ByteString headerBytes = header.toByteString();
    Block block =
        Block.newBuilder()
            .setHeader(headerBytes)
            .addAllTransactions(proposal.getTransactionsList())
            .build();
    return new AssembledBlock(
        header, BlockHashes.hashOfHeader(headerBytes), block, encodedReceipts, executed.txIndex());
  }

  /** Adds the block, its receipts, its transactions' locations and the marker to batch. */
  void stage(ChainStore chain, WriteSet batch, byte[] consensusMarker) {
    long height = header.getHeight();
    chain.putBlock(batch, height, block, hash);
    for (int i = 0; i < encodedReceipts.size(); i++) {
      chain.putEncodedReceipt(batch, height, i, encodedReceipts.get(i));
    }
    for (Map.Entry<Hash, TxLocation> e : txIndex.entrySet()) {
      chain.putTxLocation(batch, e.getKey(), e.getValue());
    }
    chain.putConsensusMarker(batch, consensusMarker == null ? new byte[0] : consensusMarker);
  }
}
