package org.fedledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedledger.ledger.TestNet.INITIAL;
import static org.fedledger.ledger.TestNet.address;
import static org.fedledger.ledger.TestNet.proposal;
import static org.fedledger.ledger.TestNet.transfer;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.core.block.BlockHashes;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.BlockProposal;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.bank.Transfer;
import org.fedledger.core.tx.TransactionCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-transaction rules of applyBlock: what each failure changes, and what it does not. */
class LedgerExecutionTest {
  @TempDir Path dir;
  private Ledger ledger;

  @BeforeEach
  void open() {
    ledger = Ledger.open(dir, TestNet.genesis());
  }

  @AfterEach
  void close() {
    ledger.close();
  }

  private Receipt only(BlockResult r) {
    assertThat(r.receipts()).hasSize(1);
    return r.receipts().get(0);
  }

  @Test
  void genesisStartsAtHeightZeroWithTheAllocation() {
    assertThat(ledger.height()).isZero();
    assertThat(ledger.lastBlockHash()).isEqualTo(Ledger.genesisHash(TestNet.genesis()));
    assertThat(ledger.account(address(3))).isEqualTo(new AccountView(address(3), INITIAL, 0));
    assertThat(ledger.totalSupply()).isEqualTo(10 * INITIAL);
    assertThat(ledger.consensusMarker()).isEmpty();
    assertThat(ledger.validators()).hasSize(3);
  }

  @Test
  void transferMovesTokensAdvancesNonceAndDerivesTheHeader() {
    Hash genesisHash = ledger.lastBlockHash();
    SignedTransaction tx = transfer(0, 1, 250, 0);
    BlockResult r = ledger.applyBlock(proposal(tx), new byte[] {1, 2});

    assertThat(only(r).getStatus()).isEqualTo(ReceiptStatus.OK);
    assertThat(only(r).getEventsList()).extracting(e -> e.getType()).containsExactly("Transfer");
    assertThat(ledger.account(address(0))).isEqualTo(new AccountView(address(0), INITIAL - 250, 1));
    assertThat(ledger.account(address(1)).balance()).isEqualTo(INITIAL + 250);
    assertThat(r.header().getHeight()).isEqualTo(1);
    assertThat(Hash.of(r.header().getParentHash())).isEqualTo(genesisHash);
    assertThat(r.header().getTxCount()).isEqualTo(1);
    assertThat(r.header().getTimestampMillis()).isEqualTo(TestNet.GENESIS_TIME + 1000);
    assertThat(ledger.lastBlockHash()).isEqualTo(r.blockHash());
    assertThat(ledger.stateRoot()).isEqualTo(r.stateRoot());
    assertThat(ledger.consensusMarker()).containsExactly(1, 2);
    assertThat(ledger.blockByHash(r.blockHash())).contains(r.block());
    assertThat(ledger.blockByHeight(1)).contains(r.block());
    assertThat(ledger.receipts(1)).isEqualTo(r.receipts());
    // The roots follow core's block rules, so core's inclusion proofs verify against them.
    assertThat(r.header().getTxRoot().toByteArray())
        .isEqualTo(BlockHashes.txRoot(r.block().getTransactionsList()).toByteArray());
    assertThat(r.header().getReceiptsRoot().toByteArray())
        .isEqualTo(BlockHashes.receiptsRoot(r.receipts()).toByteArray());
    assertThat(BlockHashes.hashOf(r.block())).isEqualTo(r.blockHash());

    TxRecord rec = ledger.transaction(TransactionCodec.hashOf(tx)).orElseThrow();
    assertThat(rec.height()).isEqualTo(1);
    assertThat(rec.index()).isZero();
    assertThat(rec.transaction()).isEqualTo(tx);
    assertThat(rec.receipt()).isEqualTo(only(r));
  }

  @Test
  void emptyBlocksStillAdvanceTheChain() {
    Hash root = ledger.stateRoot();
    BlockResult r = ledger.applyBlock(proposal(), new byte[0]);
    assertThat(r.height()).isEqualTo(1);
    assertThat(ledger.stateRoot()).isEqualTo(root);
    assertThat(r.header().getTxRoot().toByteArray()).isEqualTo(new byte[32]);
  }

  /** Applies one failing transaction and checks the block changed no state at all. */
  private Receipt failsChangingNothing(SignedTransaction tx) {
    Hash before = ledger.stateRoot();
    Receipt receipt = only(ledger.applyBlock(proposal(tx), new byte[0]));
    assertThat(receipt.getStatus()).isEqualTo(ReceiptStatus.FAILED);
    assertThat(ledger.stateRoot()).as("state root unchanged").isEqualTo(before);
    assertThat(ledger.account(address(0))).isEqualTo(new AccountView(address(0), INITIAL, 0));
    return receipt;
  }

  @Test
  void badSignatureFailsAndChangesNothing() {
    SignedTransaction good = transfer(0, 1, 5, 0);
    byte[] sig = good.getSignature().toByteArray();
    sig[0] ^= 1;
    SignedTransaction bad = good.toBuilder().setSignature(ByteString.copyFrom(sig)).build();
    assertThat(failsChangingNothing(bad).getError()).startsWith("BAD_SIGNATURE");
  }

  @Test
  void wrongChainFailsAndChangesNothing() {
    SignedTransaction tx =
        TransactionCodec.sign(
            TestNet.body(TestNet.key(0), 0)
                .setChainId("other-chain")
                .setModule("bank")
                .setMessageType("Transfer")
                .setPayload(
                    Transfer.newBuilder()
                        .setTo(address(1).toByteString())
                        .setAmount(5)
                        .build()
                        .toByteString())
                .build(),
            TestNet.key(0));
    assertThat(failsChangingNothing(tx).getError()).startsWith("WRONG_CHAIN");
  }

  @Test
  void nonceOtherThanTheAccountsFailsAndChangesNothing() {
    assertThat(failsChangingNothing(transfer(0, 1, 5, 1)).getError()).startsWith("BAD_NONCE");
    assertThat(failsChangingNothing(transfer(0, 1, 5, 7)).getError()).contains("expects nonce 0");
  }

  @Test
  void malformedTransactionFailsAndChangesNothing() {
    SignedTransaction garbage =
        SignedTransaction.newBuilder()
            .setBody(ByteString.copyFrom(new byte[] {(byte) 0xff, 1, 2}))
            .setSignature(ByteString.copyFrom(new byte[64]))
            .build();
    assertThat(failsChangingNothing(garbage).getError()).startsWith("MALFORMED");
    SignedTransaction shortSig =
        transfer(0, 1, 5, 0).toBuilder().setSignature(ByteString.copyFrom(new byte[3])).build();
    assertThat(failsChangingNothing(shortSig).getError()).startsWith("MALFORMED");
  }

  /** Applies one transaction that passes the checks but fails in its handler. */
  private Receipt failsAdvancingOnlyTheNonce(SignedTransaction tx) {
    Hash before = ledger.stateRoot();
    Receipt receipt = only(ledger.applyBlock(proposal(tx), new byte[0]));
    assertThat(receipt.getStatus()).isEqualTo(ReceiptStatus.FAILED);
    assertThat(receipt.getEventsList()).isEmpty();
    assertThat(ledger.stateRoot()).isNotEqualTo(before);
    assertThat(ledger.account(address(0))).isEqualTo(new AccountView(address(0), INITIAL, 1));
    assertThat(ledger.account(address(1)).balance()).isEqualTo(INITIAL);
    assertThat(ledger.totalSupply()).isEqualTo(10 * INITIAL);
    return receipt;
  }

  @Test
  void insufficientBalanceFailsAndOnlyAdvancesTheNonce() {
    assertThat(failsAdvancingOnlyTheNonce(transfer(0, 1, INITIAL + 1, 0)).getError())
        .startsWith("INSUFFICIENT_BALANCE")
        .contains("needs " + (INITIAL + 1));
  }

  @Test
  void unknownModuleFailsAndOnlyAdvancesTheNonce() {
    assertThat(
            failsAdvancingOnlyTheNonce(TestNet.message(0, 0, "casino", "Bet", new byte[0]))
                .getError())
        .startsWith("UNKNOWN_MODULE");
  }

  @Test
  void unknownMessageFailsAndOnlyAdvancesTheNonce() {
    assertThat(
            failsAdvancingOnlyTheNonce(TestNet.message(0, 0, "bank", "Mint", new byte[0]))
                .getError())
        .startsWith("UNKNOWN_MESSAGE");
  }

  @Test
  void undecodablePayloadFailsAndOnlyAdvancesTheNonce() {
    assertThat(
            failsAdvancingOnlyTheNonce(
                    TestNet.message(0, 0, "bank", "Transfer", new byte[] {(byte) 0xff, 0x7f}))
                .getError())
        .startsWith("INVALID_MESSAGE");
  }

  @Test
  void invalidTransferFieldsFailAndOnlyAdvanceTheNonce() {
    byte[] shortRecipient =
        Transfer.newBuilder()
            .setTo(ByteString.copyFrom(new byte[5]))
            .setAmount(1)
            .build()
            .toByteArray();
    assertThat(
            failsAdvancingOnlyTheNonce(TestNet.message(0, 0, "bank", "Transfer", shortRecipient))
                .getError())
        .startsWith("INVALID_MESSAGE")
        .contains("20-byte");
    // uint64 max: larger than any supply
    assertThat(only(ledger.applyBlock(proposal(transfer(0, 1, -1L, 1)), new byte[0])).getError())
        .startsWith("INVALID_MESSAGE");
    assertThat(only(ledger.applyBlock(proposal(transfer(0, 1, 0, 2)), new byte[0])).getError())
        .startsWith("INVALID_MESSAGE");
    assertThat(ledger.account(address(0)).nonce()).isEqualTo(3);
  }

  @Test
  void replayOfAnIncludedTransactionFailsAsDuplicate() {
    SignedTransaction tx = transfer(0, 1, 10, 0);
    ledger.applyBlock(proposal(tx), new byte[0]);
    Hash before = ledger.stateRoot();
    Receipt replay = only(ledger.applyBlock(proposal(tx), new byte[0]));
    assertThat(replay.getError()).startsWith("DUPLICATE").contains("height 1");
    assertThat(ledger.stateRoot()).isEqualTo(before);
    assertThat(ledger.account(address(1)).balance()).isEqualTo(INITIAL + 10);
    // The index still points at the original inclusion.
    assertThat(ledger.transaction(TransactionCodec.hashOf(tx)).orElseThrow().height()).isEqualTo(1);
  }

  @Test
  void duplicateWithinOneBlockFails() {
    SignedTransaction tx = transfer(0, 1, 10, 0);
    BlockResult r = ledger.applyBlock(proposal(tx, tx), new byte[0]);
    assertThat(r.receipts().get(0).getStatus()).isEqualTo(ReceiptStatus.OK);
    assertThat(r.receipts().get(1).getError()).startsWith("DUPLICATE");
    assertThat(ledger.account(address(1)).balance()).isEqualTo(INITIAL + 10);
  }

  @Test
  void transactionThatFailedItsNonceCheckCanBeIncludedLaterWhenValid() {
    SignedTransaction second = transfer(0, 1, 10, 1);
    SignedTransaction first = transfer(0, 1, 5, 0);
    BlockResult r = ledger.applyBlock(proposal(second, first), new byte[0]);
    assertThat(r.receipts().get(0).getError()).startsWith("BAD_NONCE");
    assertThat(r.receipts().get(1).getStatus()).isEqualTo(ReceiptStatus.OK);
    BlockResult later = ledger.applyBlock(proposal(second), new byte[0]);
    assertThat(only(later).getStatus()).isEqualTo(ReceiptStatus.OK);
    assertThat(ledger.transaction(TransactionCodec.hashOf(second)).orElseThrow().height())
        .isEqualTo(2);
    assertThat(ledger.account(address(1)).balance()).isEqualTo(INITIAL + 15);
  }

  @Test
  void failuresDoNotStopLaterTransactionsInTheBlock() {
    List<SignedTransaction> txs = new ArrayList<>();
    txs.add(transfer(0, 1, INITIAL * 2, 0)); // fails, nonce 0 consumed
    txs.add(transfer(0, 1, 100, 1)); // ok
    txs.add(transfer(2, 3, 100, 5)); // bad nonce
    txs.add(transfer(2, 3, 100, 0)); // ok
    BlockResult r = ledger.applyBlock(TestNet.proposal(TestNet.GENESIS_TIME + 5, txs), new byte[0]);
    assertThat(r.receipts())
        .extracting(Receipt::getStatus)
        .containsExactly(
            ReceiptStatus.FAILED, ReceiptStatus.OK, ReceiptStatus.FAILED, ReceiptStatus.OK);
    assertThat(r.receipts()).extracting(Receipt::getIndex).containsExactly(0, 1, 2, 3);
    assertThat(ledger.account(address(0))).isEqualTo(new AccountView(address(0), INITIAL - 100, 2));
    assertThat(ledger.account(address(3)).balance()).isEqualTo(INITIAL + 100);
  }

  @Test
  void blockTimeNeverRunsBackwards() {
    ledger.applyBlock(TestNet.proposal(TestNet.GENESIS_TIME + 5000, List.of()), new byte[0]);
    BlockResult r =
        ledger.applyBlock(TestNet.proposal(TestNet.GENESIS_TIME + 10, List.of()), new byte[0]);
    assertThat(r.header().getTimestampMillis()).isEqualTo(TestNet.GENESIS_TIME + 5000);
  }

  @Test
  void aLeaderClockFarAheadMovesBlockTimeByAtMostTheStepPerBlock() {
    long yearAhead = TestNet.GENESIS_TIME + 365L * 24 * 3600 * 1000;
    BlockResult first = ledger.applyBlock(TestNet.proposal(yearAhead, List.of()), new byte[0]);
    assertThat(first.header().getTimestampMillis())
        .isEqualTo(TestNet.GENESIS_TIME + Ledger.MAX_BLOCK_TIME_STEP_MILLIS);
    // An honest leader's clock afterwards is behind the stamped time: the chain holds still.
    BlockResult second =
        ledger.applyBlock(TestNet.proposal(TestNet.GENESIS_TIME + 2000, List.of()), new byte[0]);
    assertThat(second.header().getTimestampMillis()).isEqualTo(first.header().getTimestampMillis());
    assertThat(Ledger.blockTime(Long.MAX_VALUE, Long.MAX_VALUE - 1)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void listenersSeeEachCommittedBlockAndAFailingListenerDoesNotBreakApply() {
    List<Long> seen = new ArrayList<>();
    ledger.addBlockListener(
        r -> {
          throw new IllegalStateException("listener bug");
        });
    ledger.addBlockListener(r -> seen.add(r.height()));
    ledger.applyBlock(proposal(), new byte[0]);
    ledger.applyBlock(proposal(), new byte[0]);
    assertThat(seen).containsExactly(1L, 2L);
  }

  @Test
  void blockOfFiveThousandTransfersApplies() {
    List<SignedTransaction> txs = new ArrayList<>();
    long[] nonces = new long[10];
    for (int i = 0; i < 5000; i++) {
      int from = i % 10;
      txs.add(transfer(from, (i * 7 + 3) % 10, 1 + i % 50, nonces[from]++));
    }
    BlockProposal p = TestNet.proposal(TestNet.GENESIS_TIME + 1, txs);
    BlockResult r = ledger.applyBlock(p, new byte[0]);
    assertThat(r.receipts()).allMatch(rc -> rc.getStatus() == ReceiptStatus.OK);
    assertThat(r.header().getTxCount()).isEqualTo(5000);
    assertThat(ledger.account(address(4)).nonce()).isEqualTo(500);
    assertThat(ledger.totalSupply()).isEqualTo(10 * INITIAL);
    long sum = 0;
    for (int i = 0; i < 10; i++) {
      sum += ledger.account(address(i)).balance();
    }
    assertThat(sum).isEqualTo(10 * INITIAL);
  }
}
