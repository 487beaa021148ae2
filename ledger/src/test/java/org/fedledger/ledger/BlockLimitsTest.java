package org.fedledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fedledger.ledger.TestNet.GENESIS_TIME;
import static org.fedledger.ledger.TestNet.INITIAL;
import static org.fedledger.ledger.TestNet.address;
import static org.fedledger.ledger.TestNet.transfer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.ledger.execution.BlockExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Block limits are the genesis', so every node cuts, replicates and executes blocks alike. */
class BlockLimitsTest {
  @TempDir Path dir;

  private static Genesis genesisWith(BlockLimits limits) {
    Genesis g = TestNet.genesis();
    return new Genesis(
        g.chainId(), g.genesisTimeMillis(), g.admin(), g.validators(), g.accounts(), limits);
  }

  @Test
  void transactionsPastTheGenesisLimitFailAndChangeNothing() {
    try (Ledger ledger = Ledger.open(dir, genesisWith(new BlockLimits(3, 512 * 1024)))) {
      List<SignedTransaction> five = new ArrayList<>();
      for (int nonce = 0; nonce < 5; nonce++) {
        five.add(transfer(0, 1, 10, nonce));
      }
      BlockResult result = ledger.applyBlock(TestNet.proposal(GENESIS_TIME + 1000, five), null);

      assertThat(result.receipts())
          .extracting(Receipt::getStatus)
          .containsExactly(
              ReceiptStatus.OK,
              ReceiptStatus.OK,
              ReceiptStatus.OK,
              ReceiptStatus.FAILED,
              ReceiptStatus.FAILED);
      assertThat(result.receipts().get(3).getError()).isEqualTo(BlockExecutor.OVER_BLOCK_LIMIT);
      assertThat(ledger.account(address(1)).balance()).isEqualTo(INITIAL + 30);
      assertThat(ledger.accountNonce(address(0))).as("not even the nonce moves").isEqualTo(3);

      // The refused ones are not spent: the next block takes them.
      BlockResult next =
          ledger.applyBlock(TestNet.proposal(GENESIS_TIME + 2000, five.subList(3, 5)), null);
      assertThat(next.receipts()).extracting(Receipt::getStatus).containsOnly(ReceiptStatus.OK);
      assertThat(ledger.account(address(1)).balance()).isEqualTo(INITIAL + 50);
    }
  }

  @Test
  void theByteLimitCountsTheBlocksFirstTransactionsThatFit() {
    try (Ledger ledger = Ledger.open(dir, genesisWith(new BlockLimits(5_000, 512 * 1024)))) {
      // A transfer is about 150 bytes: 4,900 of them pass 512 KiB part way.
      List<SignedTransaction> many = new ArrayList<>();
      long bytes = 0;
      int fit = -1;
      for (int nonce = 0; nonce < 4_900; nonce++) {
        SignedTransaction tx = transfer(nonce % 10, (nonce + 1) % 10, 1, nonce / 10);
        many.add(tx);
        bytes += tx.getSerializedSize();
        if (fit < 0 && bytes > 512 * 1024) {
          fit = nonce;
        }
      }
      assertThat(fit).as("the block must pass the byte limit for this test").isPositive();
      BlockResult result = ledger.applyBlock(TestNet.proposal(GENESIS_TIME + 1000, many), null);
      assertThat(result.receipts().get(fit - 1).getStatus()).isEqualTo(ReceiptStatus.OK);
      assertThat(result.receipts().subList(fit, many.size()))
          .extracting(Receipt::getError)
          .containsOnly(BlockExecutor.OVER_BLOCK_LIMIT);
      assertThat(ledger.totalSupply()).isEqualTo(TestNet.genesis().totalSupply());
    }
  }

  @Test
  void theLimitsArePartOfTheGenesisHash() {
    Hash defaults = Ledger.genesisHash(TestNet.genesis());
    assertThat(Ledger.genesisHash(genesisWith(BlockLimits.DEFAULT))).isEqualTo(defaults);
    assertThat(Ledger.genesisHash(genesisWith(new BlockLimits(100, BlockLimits.DEFAULT_MAX_BYTES))))
        .isNotEqualTo(defaults);
    assertThat(Ledger.genesisHash(genesisWith(new BlockLimits(5_000, 1024 * 1024))))
        .isNotEqualTo(defaults);
  }

  @Test
  void limitsOutsideTheirRangeAreRefusedWithTheRange() {
    assertThatThrownBy(() -> new BlockLimits(0, BlockLimits.DEFAULT_MAX_BYTES))
        .hasMessageContaining("maxTransactions must be at least 1");
    assertThatThrownBy(() -> new BlockLimits(10, 1024))
        .hasMessageContaining("maxBytes must be between 524288");
    assertThatThrownBy(() -> new BlockLimits(10, Integer.MAX_VALUE))
        .hasMessageContaining("256 MiB");
  }
}
