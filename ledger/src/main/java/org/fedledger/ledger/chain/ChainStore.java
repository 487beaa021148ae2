package org.fedledger.ledger.chain;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.Block;
import org.fedledger.core.proto.BlockHeader;
import org.fedledger.core.proto.Receipt;
import org.fedledger.ledger.module.Bytes;
import org.fedledger.ledger.store.Column;
import org.fedledger.ledger.store.KeyValueStore;
import org.fedledger.ledger.store.WriteSet;

/** Reads and writes blocks, receipts, the transaction index and chain metadata. */
public final class ChainStore {
  private static final byte[] META_HEIGHT = "height".getBytes(StandardCharsets.UTF_8);
  private static final byte[] META_GENESIS = "genesis_hash".getBytes(StandardCharsets.UTF_8);
  private static final byte[] META_MARKER = "consensus_marker".getBytes(StandardCharsets.UTF_8);

  private final KeyValueStore store;

  public ChainStore(KeyValueStore store) {
    this.store = store;
  }

  // ---- writes (into a block's batch) ----

  public void putBlock(WriteSet batch, long height, Block block, Hash hash) {
    batch.put(Column.BLOCKS, Bytes.ofLong(height), block.toByteArray());
    batch.put(Column.HEADERS, Bytes.ofLong(height), block.getHeader().toByteArray());
    batch.put(Column.BLOCK_HASHES, hash.toByteArray(), Bytes.ofLong(height));
    batch.put(Column.META, META_HEIGHT, Bytes.ofLong(height));
  }

  public void putReceipt(WriteSet batch, long height, int index, Receipt receipt) {
    putEncodedReceipt(batch, height, index, receipt.toByteArray());
  }

  /** Stores a receipt already encoded with {@code toByteArray}. */
  public void putEncodedReceipt(WriteSet batch, long height, int index, byte[] encodedReceipt) {
    batch.put(Column.RECEIPTS, receiptKey(height, index), encodedReceipt);
  }

  public void putTxLocation(WriteSet batch, Hash txHash, TxLocation location) {
    batch.put(Column.TX_INDEX, txHash.toByteArray(), location.encode());
  }

  public void putGenesisHash(WriteSet batch, Hash hash) {
    batch.put(Column.META, META_GENESIS, hash.toByteArray());
  }

  public void putConsensusMarker(WriteSet batch, byte[] marker) {
    batch.put(Column.META, META_MARKER, marker);
  }

  // ---- reads ----

  /** The last committed height, or -1 for an empty store. */
  public long height() {
    byte[] h = store.get(Column.META, META_HEIGHT);
    return h == null ? -1 : Bytes.toLong(h);
  }

  public Optional<Hash> genesisHash() {
    return Optional.ofNullable(store.get(Column.META, META_GENESIS)).map(Hash::of);
  }

  public byte[] consensusMarker() {
    byte[] m = store.get(Column.META, META_MARKER);
    return m == null ? new byte[0] : m;
  }

  public Optional<Block> block(long height) {
    if (height < 0) {
      return Optional.empty();
    }
    byte[] bytes = store.get(Column.BLOCKS, Bytes.ofLong(height));
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Block.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw corrupt("block " + height, e);
    }
  }

  public Optional<BlockHeader> header(long height) {
    if (height < 0) {
      return Optional.empty();
    }
    byte[] bytes = store.get(Column.HEADERS, Bytes.ofLong(height));
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(BlockHeader.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw corrupt("header " + height, e);
    }
  }

  public Optional<Long> heightOf(Hash blockHash) {
    return Optional.ofNullable(store.get(Column.BLOCK_HASHES, blockHash.toByteArray()))
        .map(Bytes::toLong);
  }

  public Optional<Receipt> receipt(long height, int index) {
    byte[] bytes = store.get(Column.RECEIPTS, receiptKey(height, index));
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Receipt.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw corrupt("receipt " + height + "/" + index, e);
    }
  }

  public Optional<TxLocation> txLocation(Hash txHash) {
    return Optional.ofNullable(store.get(Column.TX_INDEX, txHash.toByteArray()))
        .map(TxLocation::decode);
  }

  public static BlockHeader headerOf(Block block) {
    try {
      return BlockHeader.parseFrom(block.getHeader());
    } catch (InvalidProtocolBufferException e) {
      throw corrupt("block header", e);
    }
  }

  private static byte[] receiptKey(long height, int index) {
    return Bytes.concat(
        Bytes.ofLong(height),
        new byte[] {
          (byte) (index >>> 24), (byte) (index >>> 16), (byte) (index >>> 8), (byte) index
        });
  }

  private static IllegalStateException corrupt(String what, Exception e) {
    return new IllegalStateException(
        "stored " + what + " cannot be decoded; the data directory is corrupt, restore it", e);
  }
}
