package org.fedledger.consensus.mempool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedledger.consensus.testing.Chains.sign;
import static org.fedledger.consensus.testing.Chains.transfer;
import static org.fedledger.consensus.testing.Chains.transferBody;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fedledger.consensus.app.Admission;
import org.fedledger.consensus.app.Application;
import org.fedledger.consensus.app.AppliedBlock;
import org.fedledger.consensus.app.CommittedTx;
import org.fedledger.consensus.app.LedgerApplication;
import org.fedledger.consensus.testing.Chains;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.BlockProposal;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.tx.DecodedTransaction;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.core.tx.TxRejection;
import org.fedledger.ledger.Ledger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MempoolTest {
  @TempDir Path dir;

  private final List<Ed25519KeyPair> accounts = Chains.keys(4, 1);
  private final Ed25519KeyPair alice = accounts.get(0);
  private final Ed25519KeyPair bob = accounts.get(1);
  private final Ed25519KeyPair carol = accounts.get(2);
  private final Address dave = accounts.get(3).publicKey().address();
  private LedgerApplication app;
  private Mempool mempool;

  @BeforeEach
  void open() {
    app =
        new LedgerApplication(
            Ledger.open(dir.resolve("ledger"), Chains.genesis(Chains.keys(1, 9), accounts)));
    mempool = new Mempool(app, MempoolConfig.defaults().withCapacity(50));
  }

  @AfterEach
  void close() {
    mempool.close();
    app.close();
  }

  private SubmitResult submitOne(byte[] tx) {
    List<SubmitResult> r = mempool.submit(List.of(tx));
    assertThat(r).hasSize(1);
    return r.get(0);
  }

  @Test
  void admitsValidTransfersAndReapsThemInNonceOrder() {
    List<byte[]> txs = new ArrayList<>();
    // Submitted out of order: nonce 2, 0, 1.
    txs.add(transfer(alice, 2, dave, 3));
    txs.add(transfer(alice, 0, dave, 1));
    txs.add(transfer(alice, 1, dave, 2));
    List<SubmitResult> results = mempool.submit(txs);

    assertThat(results).allMatch(SubmitResult::accepted);
    assertThat(mempool.size()).isEqualTo(3);
    List<PooledTx> reaped = mempool.reap(10, Long.MAX_VALUE);
    assertThat(reaped).extracting(PooledTx::nonce).containsExactly(0L, 1L, 2L);
    assertThat(mempool.pendingCount()).isZero();
    assertThat(mempool.reap(10, Long.MAX_VALUE)).as("in flight: never reaped twice").isEmpty();
  }

  @Test
  void reapStopsAtANonceGap() {
    mempool.submit(List.of(transfer(alice, 0, dave, 1), transfer(alice, 2, dave, 1)));
    assertThat(mempool.reap(10, Long.MAX_VALUE)).extracting(PooledTx::nonce).containsExactly(0L);
    mempool.submit(List.of(transfer(alice, 1, dave, 1)));
    assertThat(mempool.reap(10, Long.MAX_VALUE))
        .as("steps over the in-flight nonce 0")
        .extracting(PooledTx::nonce)
        .containsExactly(1L, 2L);
  }

  @Test
  void reapIsRoundRobinAcrossSendersAndDeterministic() {
    List<byte[]> txs = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      txs.add(transfer(alice, n, dave, 1));
    }
    for (int n = 0; n < 3; n++) {
      txs.add(transfer(bob, n, dave, 1));
    }
    txs.add(transfer(carol, 0, dave, 1));
    mempool.submit(txs);

    List<PooledTx> reaped = mempool.reap(5, Long.MAX_VALUE);
    List<String> order = new ArrayList<>();
    for (PooledTx t : reaped) {
      String who = t.sender().equals(alice.publicKey().address()) ? "a" : "";
      who = t.sender().equals(bob.publicKey().address()) ? "b" : who;
      who = t.sender().equals(carol.publicKey().address()) ? "c" : who;
      order.add(who + t.nonce());
    }
    assertThat(order).containsExactly("a0", "b0", "c0", "a1", "b1");
  }

  @Test
  void reapRespectsTheByteLimit() {
    mempool.submit(List.of(transfer(alice, 0, dave, 1), transfer(bob, 0, dave, 1)));
    int one = TransactionCodec.MAX_TX_BYTES;
    List<PooledTx> first = mempool.reap(10, 1);
    assertThat(first).isEmpty();
    List<PooledTx> reaped = mempool.reap(10, one);
    assertThat(reaped).hasSize(2);
  }

  @Test
  void requeuedTransactionsAreReapedAgain() {
    mempool.submit(List.of(transfer(alice, 0, dave, 1), transfer(alice, 1, dave, 1)));
    List<PooledTx> reaped = mempool.reap(10, Long.MAX_VALUE);
    mempool.requeue(reaped);
    assertThat(mempool.reap(10, Long.MAX_VALUE))
        .extracting(PooledTx::nonce)
        .containsExactly(0L, 1L);
    mempool.requeueAllInFlight();
    assertThat(mempool.pendingCount()).isEqualTo(2);
  }

  @Test
  void evictsCommittedTransactionsAndThoseWhoseNonceBecameStale() {
    byte[] committed = transfer(alice, 0, dave, 5);
    byte[] rival = transfer(alice, 0, dave, 6); // same nonce, different tx: stale once 0 commits
    byte[] next = transfer(alice, 1, dave, 7);
    assertThat(submitOne(committed).accepted()).isTrue();
    assertThat(submitOne(next).accepted()).isTrue();
    SubmitResult conflict = submitOne(rival);
    assertThat(conflict.rejection()).isEqualTo(TxRejection.BAD_NONCE);
    assertThat(conflict.message()).contains("already has transaction");

    List<PooledTx> reaped = mempool.reap(1, Long.MAX_VALUE);
    var block =
        app.applyBlock(
            BlockProposal.newBuilder()
                .setTimestampMillis(1_700_000_001_000L)
                .addTransactions(reaped.get(0).signed())
                .build(),
            new byte[16]);
    assertThat(mempool.onCommitted(block)).isEqualTo(1);
    assertThat(mempool.size()).isEqualTo(1);
    assertThat(mempool.reap(10, Long.MAX_VALUE)).extracting(PooledTx::nonce).containsExactly(1L);

    SubmitResult replay = submitOne(committed);
    assertThat(replay.accepted()).isFalse();
    assertThat(replay.rejection()).isIn(TxRejection.DUPLICATE, TxRejection.BAD_NONCE);
    SubmitResult replayedNonce = submitOne(rival);
    assertThat(replayedNonce.rejection()).isEqualTo(TxRejection.BAD_NONCE);
  }

  @Test
  void rejectsEveryBadInputWithItsReasonAndKeepsNothing() {
    byte[] good = transfer(alice, 0, dave, 1);
    SignedTransaction goodTx = sign(transferBody(alice, 0, dave, 1), alice);
    byte[] badSignature =
        goodTx.toBuilder().setSignature(ByteString.copyFrom(new byte[64])).build().toByteArray();
    byte[] signedByOther = sign(transferBody(alice, 0, dave, 1), bob).toByteArray();
    byte[] wrongChain =
        sign(transferBody(alice, 0, dave, 1).setChainId("other"), alice).toByteArray();
    byte[] farNonce = transfer(alice, 1_000, dave, 1);
    byte[] tooMuch = transfer(alice, 0, dave, Chains.BALANCE + 1);
    byte[] unknownModule =
        sign(transferBody(alice, 0, dave, 1).setModule("nosuch"), alice).toByteArray();
    byte[] unknownMessage =
        sign(transferBody(alice, 0, dave, 1).setMessageType("Steal"), alice).toByteArray();
    byte[] oversize = new byte[TransactionCodec.MAX_TX_BYTES + 1];

    List<SubmitResult> r =
        mempool.submit(
            List.of(
                new byte[] {1, 2, 3},
                new byte[0],
                badSignature,
                signedByOther,
                wrongChain,
                farNonce,
                tooMuch,
                unknownModule,
                unknownMessage,
                oversize));
    assertThat(r)
        .extracting(SubmitResult::rejection)
        .containsExactly(
            TxRejection.MALFORMED,
            TxRejection.MALFORMED,
            TxRejection.BAD_SIGNATURE,
            TxRejection.BAD_SIGNATURE,
            TxRejection.WRONG_CHAIN,
            TxRejection.BAD_NONCE,
            TxRejection.INSUFFICIENT_BALANCE,
            TxRejection.UNKNOWN_MODULE,
            TxRejection.UNKNOWN_MESSAGE,
            TxRejection.OVERSIZE);
    assertThat(r).allSatisfy(x -> assertThat(x.message()).isNotBlank());
    assertThat(mempool.size()).isZero();

    assertThat(submitOne(good).accepted()).isTrue();
    SubmitResult dup = submitOne(good);
    assertThat(dup.rejection()).isEqualTo(TxRejection.DUPLICATE);
    assertThat(mempool.size()).isEqualTo(1);
  }

  @Test
  void refusesWithMempoolFullAtCapacity() {
    Mempool small = new Mempool(app, MempoolConfig.defaults().withCapacity(2));
    try {
      List<SubmitResult> r =
          small.submit(
              List.of(
                  transfer(alice, 0, dave, 1),
                  transfer(bob, 0, dave, 1),
                  transfer(carol, 0, dave, 1)));
      assertThat(r)
          .extracting(SubmitResult::rejection)
          .containsExactly(null, null, TxRejection.MEMPOOL_FULL);
      assertThat(r.get(2).message()).contains("capacity");
      assertThat(small.size()).isEqualTo(2);
    } finally {
      small.close();
    }
  }

  @Test
  void admitsLargeBatchesInParallelWithOneResultPerTransaction() {
    Mempool big = new Mempool(app, MempoolConfig.defaults());
    try {
      List<Ed25519KeyPair> senders = accounts.subList(0, 3);
      List<byte[]> txs = new ArrayList<>();
      for (int n = 0; n < 60; n++) {
        for (Ed25519KeyPair s : senders) {
          txs.add(transfer(s, n, dave, 1));
        }
      }
      List<SubmitResult> r = big.submit(txs);
      // The ledger's nonce window is 64 ahead of the account nonce: all 60 per sender fit.
      assertThat(r).hasSize(180).allMatch(SubmitResult::accepted);
      assertThat(big.reap(1_000, Long.MAX_VALUE)).hasSize(180);
    } finally {
      big.close();
    }
  }

  @Test
  void pendingTransactionsBecomeDueForForwardingAgainWithGrowingIntervals() {
    mempool.submit(List.of(transfer(alice, 0, dave, 1), transfer(bob, 0, dave, 1)));
    long now = System.nanoTime();
    assertThat(mempool.dueForForwarding(now)).as("just forwarded on admission").isEmpty();
    assertThat(mempool.dueForForwarding(now + 1_100_000_000L)).hasSize(2);
    assertThat(mempool.dueForForwarding(now + 2_000_000_000L)).as("next after 2 s more").isEmpty();
    assertThat(mempool.dueForForwarding(now + 3_200_000_000L)).hasSize(2);
    mempool.reap(1, Long.MAX_VALUE);
    assertThat(mempool.dueForForwarding(now + 60_000_000_000L))
        .as("in-flight transactions are the leader's own")
        .hasSize(1);
  }

  /**
   * Two submitters and a commit interleave so that one submitter's account-nonce read predates a
   * commit that empties the sender's queue: the read is stale, and a queue re-created from it would
   * start below the committed nonce, a gap that no reap ever steps over (the sender stalls).
   */
  @Test
  void aNonceReadBeforeACommitThatEmptiedTheSendersQueueIsNotUsed() throws Exception {
    GatedNonces gated = new GatedNonces(app);
    Mempool pool = new Mempool(gated, MempoolConfig.defaults());
    try {
      byte[] first = transfer(alice, 0, dave, 1);
      byte[] second = transfer(alice, 1, dave, 1);
      // Submitter A: alice has no queue yet, so A reads her nonce (0), and is held right after.
      gated.holdNextRead();
      CompletableFuture<List<SubmitResult>> a =
          CompletableFuture.supplyAsync(() -> pool.submit(List.of(second)));
      assertThat(gated.readTaken.await(10, TimeUnit.SECONDS)).isTrue();

      // Submitter B admits nonce 0; it is reaped and committed, which empties alice's queue.
      assertThat(pool.submit(List.of(first))).allMatch(SubmitResult::accepted);
      List<PooledTx> reaped = pool.reap(10, Long.MAX_VALUE);
      assertThat(reaped).extracting(PooledTx::nonce).containsExactly(0L);
      AppliedBlock block =
          app.applyBlock(
              BlockProposal.newBuilder()
                  .setTimestampMillis(1_700_000_001_000L)
                  .addTransactions(reaped.get(0).signed())
                  .build(),
              new byte[16]);
      assertThat(pool.onCommitted(block)).isEqualTo(1);
      assertThat(app.accountNonce(alice.publicKey().address())).isEqualTo(1);

      // A resumes with its read from before the commit and inserts nonce 1.
      gated.release.countDown();
      assertThat(a.get(10, TimeUnit.SECONDS)).allMatch(SubmitResult::accepted);
      assertThat(pool.reap(10, Long.MAX_VALUE))
          .as("nonce 1 follows the committed nonce 0: reapable, no gap")
          .extracting(PooledTx::nonce)
          .containsExactly(1L);
    } finally {
      pool.close();
    }
  }

  /** The real application, except that one account-nonce read can be held after it was taken. */
  private static final class GatedNonces implements Application {
    private final Application app;
    private volatile boolean holdNext;
    final CountDownLatch readTaken = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    GatedNonces(Application app) {
      this.app = app;
    }

    void holdNextRead() {
      holdNext = true;
    }

    @Override
    public long accountNonce(Address sender) {
      long nonce = app.accountNonce(sender);
      if (holdNext) {
        holdNext = false;
        readTaken.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return nonce;
    }

    @Override
    public String chainId() {
      return app.chainId();
    }

    @Override
    public Admission checkTransaction(DecodedTransaction tx) {
      return app.checkTransaction(tx);
    }

    @Override
    public AppliedBlock applyBlock(BlockProposal proposal, byte[] consensusMarker) {
      return app.applyBlock(proposal, consensusMarker);
    }

    @Override
    public Optional<CommittedTx> findCommitted(Hash txHash) {
      return app.findCommitted(txHash);
    }

    @Override
    public byte[] consensusMarker() {
      return app.consensusMarker();
    }

    @Override
    public long height() {
      return app.height();
    }

    @Override
    public Hash lastBlockHash() {
      return app.lastBlockHash();
    }

    @Override
    public Hash stateRoot() {
      return app.stateRoot();
    }

    @Override
    public long lastBlockTimestampMillis() {
      return app.lastBlockTimestampMillis();
    }

    @Override
    public boolean isValidator(Ed25519PublicKey key) {
      return app.isValidator(key);
    }

    @Override
    public void checkpoint(Path target) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }
}
