package org.fedledger.core.block;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.List;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.merkle.MerkleTree;
import org.fedledger.core.proto.Block;
import org.fedledger.core.proto.BlockHeader;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.tx.TransactionCodec;
import org.junit.jupiter.api.Test;

class BlockHashesTest {
  private static final Ed25519KeyPair KEY = Ed25519KeyPair.fromSeed(new byte[32]);

  private static SignedTransaction tx(long nonce) {
    return TransactionCodec.sign(
        TxBody.newBuilder()
            .setChainId("test")
            .setSenderPublicKey(KEY.publicKey().toByteString())
            .setNonce(nonce)
            .setModule("bank")
            .setMessageType("Transfer")
            .build(),
        KEY);
  }

  @Test
  void blockHashIsSha256OfTheHeaderBytesAsCarried() {
    BlockHeader header = BlockHeader.newBuilder().setChainId("test").setHeight(7).build();
    Block block =
        Block.newBuilder().setHeader(header.toByteString()).addTransactions(tx(0)).build();

    assertThat(BlockHashes.hashOf(block)).isEqualTo(Sha256.hash(header.toByteArray()));
    // The transactions are committed through tx_root, not directly.
    assertThat(BlockHashes.hashOf(block.toBuilder().clearTransactions().build()))
        .isEqualTo(BlockHashes.hashOf(block));
  }

  @Test
  void blockHashIsOverTheReceivedBytesNotAReencoding() {
    // The same header with its fields in reverse order: equal as a message, another hash.
    BlockHeader header = BlockHeader.newBuilder().setChainId("c").setHeight(2).build();
    ByteString reversed =
        BlockHeader.newBuilder()
            .setHeight(2)
            .build()
            .toByteString()
            .concat(BlockHeader.newBuilder().setChainId("c").build().toByteString());
    assertThat(reversed).isNotEqualTo(header.toByteString());

    assertThat(BlockHashes.hashOfHeader(reversed))
        .isEqualTo(Sha256.hash(reversed.toByteArray()))
        .isNotEqualTo(BlockHashes.hashOfHeader(header.toByteString()));
  }

  @Test
  void txRootIsTheMerkleRootOfTransactionHashesInOrder() {
    List<SignedTransaction> txs = List.of(tx(0), tx(1), tx(2));
    assertThat(BlockHashes.txRoot(txs))
        .isEqualTo(
            MerkleTree.root(
                List.of(
                    TransactionCodec.hashOf(txs.get(0)),
                    TransactionCodec.hashOf(txs.get(1)),
                    TransactionCodec.hashOf(txs.get(2)))));
    assertThat(BlockHashes.txRoot(List.of(txs.get(1), txs.get(0), txs.get(2))))
        .isNotEqualTo(BlockHashes.txRoot(txs));
    assertThat(BlockHashes.txRoot(List.of())).isEqualTo(MerkleTree.EMPTY_ROOT);
  }

  @Test
  void receiptsRootIsTheMerkleRootOfReceiptEncodings() {
    Receipt ok = Receipt.newBuilder().setHeight(3).setIndex(0).setStatus(ReceiptStatus.OK).build();
    Receipt failed =
        Receipt.newBuilder()
            .setHeight(3)
            .setIndex(1)
            .setStatus(ReceiptStatus.FAILED)
            .setError("BAD_NONCE")
            .build();
    assertThat(BlockHashes.receiptHash(ok)).isEqualTo(Sha256.hash(ok.toByteArray()));
    assertThat(BlockHashes.receiptsRoot(List.of(ok, failed)))
        .isEqualTo(
            MerkleTree.root(List.of(BlockHashes.receiptHash(ok), BlockHashes.receiptHash(failed))));
    assertThat(BlockHashes.receiptsRoot(List.of())).isEqualTo(Hash.ZERO);
    assertThat(BlockHashes.receiptsRootOfEncoded(List.of(ok.toByteArray(), failed.toByteArray())))
        .isEqualTo(BlockHashes.receiptsRoot(List.of(ok, failed)));
    assertThat(BlockHashes.receiptsRootOfEncoded(List.of(failed.toByteArray(), ok.toByteArray())))
        .as("order matters")
        .isNotEqualTo(BlockHashes.receiptsRoot(List.of(ok, failed)));
    assertThat(BlockHashes.receiptsRootOfEncoded(List.of())).isEqualTo(Hash.ZERO);
  }
}
