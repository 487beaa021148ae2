package org.fedledger.core.block;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.merkle.MerkleTree;
import org.fedledger.core.proto.Block;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.tx.TransactionCodec;

/**
 * How a block and its contents are hashed:
 *
 * <ul>
 *   <li>block hash: {@code SHA-256(header)}, over the encoded BlockHeader exactly as carried in
 *       {@code Block.header}, never over a re-encoding;
 *   <li>tx_root: the {@link MerkleTree} root of the transactions' hashes ({@link
 *       TransactionCodec#hashOf}), in block order;
 *   <li>receipts_root: the {@link MerkleTree} root of the receipts' hashes, in block order, where a
 *       receipt's hash is {@code SHA-256} of its protobuf encoding. Receipts are built by the node
 *       itself, never received, so protobuf-java's encoding of them (fields in number order) is the
 *       same on every node.
 * </ul>
 */
public final class BlockHashes {
  private BlockHashes() {}

  /** The block's hash: SHA-256 of its encoded header bytes. */
  public static Hash hashOf(Block block) {
    return hashOfHeader(block.getHeader());
  }

  /** SHA-256 of an encoded BlockHeader. */
  public static Hash hashOfHeader(ByteString encodedHeader) {
    return Sha256.hash(encodedHeader.toByteArray());
  }

  /** The tx_root of a block holding these transactions, in order. */
  public static Hash txRoot(List<SignedTransaction> transactions) {
    List<Hash> hashes = new ArrayList<>(transactions.size());
    for (SignedTransaction tx : transactions) {
      hashes.add(TransactionCodec.hashOf(tx));
    }
    return MerkleTree.root(hashes);
  }

  /** A receipt's hash: SHA-256 of its protobuf encoding. */
  public static Hash receiptHash(Receipt receipt) {
    return receiptHashOfEncoded(receipt.toByteArray());
  }

  private static Hash receiptHashOfEncoded(byte[] encodedReceipt) {
    return Sha256.hash(encodedReceipt);
  }

  /** The receipts_root of a block with these receipts, in order. */
  public static Hash receiptsRoot(List<Receipt> receipts) {
    return receiptsRootOfEncoded(receipts.stream().map(Receipt::toByteArray).toList());
  }

  /**
   * The same root from the receipts' encodings ({@code toByteArray}), for a caller that stores them
   * too and should not encode each receipt twice.
   */
  public static Hash receiptsRootOfEncoded(List<byte[]> encodedReceipts) {
    List<Hash> hashes = new ArrayList<>(encodedReceipts.size());
    for (byte[] r : encodedReceipts) {
      hashes.add(receiptHashOfEncoded(r));
    }
    return MerkleTree.root(hashes);
  }
}
