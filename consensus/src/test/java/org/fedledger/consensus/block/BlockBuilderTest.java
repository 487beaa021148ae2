package org.fedledger.consensus.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedledger.consensus.testing.Chains.transfer;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.fedledger.consensus.app.LedgerApplication;
import org.fedledger.consensus.mempool.Mempool;
import org.fedledger.consensus.mempool.MempoolConfig;
import org.fedledger.consensus.testing.Chains;
import org.fedledger.consensus.vote.VotePool;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.proto.BlockProposal;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.ledger.Ledger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The builder against the real ledger and mempool; the "Raft" is a sink that records proposals. */
@Timeout(30)
class BlockBuilderTest {
  @TempDir Path dir;
  private final List<Ed25519KeyPair> accounts = Chains.keys(3, 1);
  private final Address to = accounts.get(2).publicKey().address();
  private final Ed25519KeyPair proposerKey = Chains.keys(1, 9).get(0);
  private LedgerApplication app;
  private Mempool mempool;
  private final VotePool votes = new VotePool(100);
  private final List<BlockProposal> proposals = new CopyOnWriteArrayList<>();
  private BlockBuilder builder;

  @BeforeEach
  void open() {
    app =
        new LedgerApplication(
            Ledger.open(dir.resolve("ledger"), Chains.genesis(List.of(proposerKey), accounts)));
    mempool = new Mempool(app, MempoolConfig.defaults());
  }

  @AfterEach
  void close() {
    if (builder != null) {
      builder.close();
    }
    mempool.close();
    app.close();
  }

  private void start(BlockParams params, ProposalSink sink, Clock clock, AtomicBoolean leader) {
    start(params, sink, clock, () -> System.nanoTime() / 1_000_000, leader);
  }

  private void start(
      BlockParams params,
      ProposalSink sink,
      Clock clock,
      LongSupplier monotonicMillis,
      AtomicBoolean leader) {
    builder =
        new BlockBuilder(
            mempool,
            votes,
            sink,
            params,
            proposerKey.publicKey().address(),
            clock,
            monotonicMillis,
            app::lastBlockTimestampMillis,
            leader::get);
    builder.start();
  }

  private ProposalSink recording() {
    return p -> {
      proposals.add(p);
      return CompletableFuture.completedFuture(null);
    };
  }

  private static BlockParams params(int maxTxs, Duration interval, int inFlight) {
    return new BlockParams(maxTxs, BlockParams.DEFAULT_MAX_BYTES, interval, inFlight, 100);
  }

  @Test
  void cutsABlockAsSoonAsAFullBlockIsPending() {
    start(
        params(10, Duration.ofSeconds(60), 1),
        recording(),
        Clock.systemUTC(),
        new AtomicBoolean(true));
    List<byte[]> txs = new ArrayList<>();
    for (int n = 0; n < 10; n++) {
      txs.add(transfer(accounts.get(0), n, to, 1));
    }
    mempool.submit(txs);
    Chains.await(Duration.ofSeconds(5), "a proposal", () -> !proposals.isEmpty());
    assertThat(proposals.get(0).getTransactionsCount()).isEqualTo(10);
    assertThat(proposals.get(0).getProposer().toByteArray())
        .isEqualTo(proposerKey.publicKey().address().toByteArray());
  }

  @Test
  void cutsASmallerBlockWhenTheIntervalPasses() {
    start(
        params(1_000, Duration.ofMillis(100), 1),
        recording(),
        Clock.systemUTC(),
        new AtomicBoolean(true));
    mempool.submit(
        List.of(transfer(accounts.get(0), 0, to, 1), transfer(accounts.get(1), 0, to, 1)));
    Chains.await(Duration.ofSeconds(5), "a proposal", () -> !proposals.isEmpty());
    assertThat(proposals.get(0).getTransactionsCount()).isEqualTo(2);
  }

  @Test
  void aTransactionOnAnIdleChainIsProposedAtOnceAndTheNextWaitsForTheInterval() throws Exception {
    AtomicLong now = new AtomicLong(1_000_000L);
    Clock manual = clock(now::get);
    start(
        params(1_000, Duration.ofMinutes(10), 1),
        recording(),
        manual,
        now::get,
        new AtomicBoolean(true));
    Thread.sleep(100); // the builder is asleep, with nothing pending, for up to ten minutes
    now.addAndGet(Duration.ofMinutes(11).toMillis()); // the last block is an interval old
    mempool.submit(List.of(transfer(accounts.get(0), 0, to, 1)));
    Chains.await(
        Duration.ofSeconds(5), "the lone transaction's proposal", () -> !proposals.isEmpty());
    assertThat(proposals.get(0).getTransactionsCount()).isEqualTo(1);

    // A block was just cut: the next transaction waits for the interval (here: the manual clock).
    mempool.submit(List.of(transfer(accounts.get(0), 1, to, 1)));
    Thread.sleep(300);
    assertThat(proposals).as("blocks stay an interval apart").hasSize(1);
    now.addAndGet(Duration.ofMinutes(11).toMillis());
    builder.poke();
    Chains.await(Duration.ofSeconds(5), "the second proposal", () -> proposals.size() == 2);
  }

  /** A clock that reads its time from millis, for tests that move time by hand. */
  private static Clock clock(LongSupplier millis) {
    return new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochMilli(millis.getAsLong());
      }
    };
  }

  @Test
  void proposesNothingWhileNotLeaderAndNothingWhenIdle() throws Exception {
    AtomicBoolean leader = new AtomicBoolean(false);
    start(params(1, Duration.ofMillis(20), 1), recording(), Clock.systemUTC(), leader);
    mempool.submit(List.of(transfer(accounts.get(0), 0, to, 1)));
    Thread.sleep(300);
    assertThat(proposals).isEmpty();
    leader.set(true);
    builder.poke();
    Chains.await(Duration.ofSeconds(5), "a proposal", () -> proposals.size() == 1);
    Thread.sleep(300);
    assertThat(proposals).as("nothing pending, no votes: no empty blocks").hasSize(1);
  }

  @Test
  void pipelinedProposalsNeverRepeatATransactionAndKeepNonceOrder() throws Exception {
    // Proposals stay "in Raft" until the test applies them: three may be in flight.
    List<CompletableFuture<Object>> pending = new CopyOnWriteArrayList<>();
    ProposalSink slow =
        p -> {
          proposals.add(p);
          CompletableFuture<Object> f = new CompletableFuture<>();
          pending.add(f);
          return f;
        };
    start(params(5, Duration.ofMillis(20), 3), slow, Clock.systemUTC(), new AtomicBoolean(true));
    List<byte[]> txs = new ArrayList<>();
    for (int n = 0; n < 30; n++) {
      txs.add(transfer(accounts.get(0), n, to, 1));
    }
    mempool.submit(txs);
    Chains.await(Duration.ofSeconds(5), "three proposals in flight", () -> proposals.size() == 3);
    Thread.sleep(200);
    assertThat(proposals).as("no more than maxInFlightBlocks").hasSize(3);

    // Apply in order, like Raft would, and release each proposal.
    int applied = 0;
    while (applied < 6) {
      int upTo = proposals.size();
      for (; applied < upTo; applied++) {
        var block = app.applyBlock(proposals.get(applied), new byte[16]);
        mempool.onCommitted(block);
        pending.get(applied).complete(null);
      }
      final int done = applied;
      Chains.await(
          Duration.ofSeconds(5), "next proposals", () -> proposals.size() > done || done >= 6);
    }
    Set<String> seen = new HashSet<>();
    long expectedNonce = 0;
    for (BlockProposal p : proposals) {
      for (SignedTransaction tx : p.getTransactionsList()) {
        assertThat(seen.add(TransactionCodec.hashOf(tx).toHex())).as("tx included twice").isTrue();
        assertThat(TransactionCodec.decode(tx).body().getNonce()).isEqualTo(expectedNonce++);
      }
    }
    assertThat(expectedNonce).isEqualTo(30);
    assertThat(app.ledger().account(accounts.get(0).publicKey().address()).nonce()).isEqualTo(30);
  }

  @Test
  void aRefusedProposalsTransactionsComeBackInTheNextOne() {
    AtomicBoolean refuseFirst = new AtomicBoolean(true);
    ProposalSink flaky =
        p -> {
          proposals.add(p);
          if (refuseFirst.getAndSet(false)) {
            return CompletableFuture.failedFuture(new IllegalStateException("not leader"));
          }
          return CompletableFuture.completedFuture(null);
        };
    start(
        params(1_000, Duration.ofMillis(50), 1), flaky, Clock.systemUTC(), new AtomicBoolean(true));
    mempool.submit(List.of(transfer(accounts.get(0), 0, to, 1)));
    Chains.await(Duration.ofSeconds(5), "a second proposal", () -> proposals.size() >= 2);
    assertThat(proposals.get(1).getTransactionsList())
        .isEqualTo(proposals.get(0).getTransactionsList());
  }

  @Test
  void timestampsNeverGoBackEvenIfTheClockDoes() {
    AtomicLong now = new AtomicLong(2_000_000_000_000L);
    Clock backwards = clock(() -> now.getAndAdd(-1_000));
    start(params(1, Duration.ofMillis(10), 1), recording(), backwards, new AtomicBoolean(true));
    for (int n = 0; n < 3; n++) {
      mempool.submit(List.of(transfer(accounts.get(0), n, to, 1)));
      final int want = n + 1;
      Chains.await(Duration.ofSeconds(5), "proposal " + want, () -> proposals.size() >= want);
    }
    long previous = Long.MIN_VALUE;
    for (BlockProposal p : proposals) {
      assertThat(p.getTimestampMillis()).isGreaterThanOrEqualTo(previous);
      previous = p.getTimestampMillis();
    }
  }

  @Test
  void aWallClockSteppedBackAnHourDoesNotStopBlockProduction() {
    AtomicLong wall = new AtomicLong(2_000_000_000_000L);
    start(
        params(1_000, Duration.ofMillis(20), 1),
        recording(),
        clock(wall::get),
        new AtomicBoolean(true));
    mempool.submit(List.of(transfer(accounts.get(0), 0, to, 1)));
    Chains.await(Duration.ofSeconds(5), "the first proposal", () -> proposals.size() == 1);
    wall.addAndGet(-Duration.ofHours(1).toMillis());
    mempool.submit(List.of(transfer(accounts.get(0), 1, to, 1)));
    // Were the interval measured on the wall clock, the next block would wait an hour.
    Chains.await(Duration.ofSeconds(5), "the second proposal", () -> proposals.size() == 2);
    assertThat(proposals.get(1).getTimestampMillis())
        .isGreaterThanOrEqualTo(proposals.get(0).getTimestampMillis());
  }

  @Test
  void aWallClockJumpedAheadMovesProposalsNoFasterThanTwiceRealTime() {
    AtomicLong wall = new AtomicLong(2_000_000_000_000L);
    AtomicLong monotonic = new AtomicLong(5_000L);
    start(
        params(1_000, Duration.ofMillis(1), 1),
        recording(),
        clock(wall::get),
        monotonic::get,
        new AtomicBoolean(true));
    long parent = app.lastBlockTimestampMillis();
    builder.blockApplied(parent); // applied just now (monotonic 5,000)
    wall.addAndGet(Duration.ofHours(1).toMillis());
    monotonic.addAndGet(3_000); // three real seconds later
    mempool.submit(List.of(transfer(accounts.get(0), 0, to, 1)));
    Chains.await(Duration.ofSeconds(5), "a proposal", () -> proposals.size() == 1);
    assertThat(proposals.get(0).getTimestampMillis()).isEqualTo(parent + 6_000);
  }

  @Test
  void transactionsWaitingBehindANonceGapCauseNoBlocks() throws Exception {
    start(
        params(1_000, Duration.ofMillis(20), 1),
        recording(),
        Clock.systemUTC(),
        new AtomicBoolean(true));
    mempool.submit(List.of(transfer(accounts.get(0), 1, to, 1))); // nonce 0 is missing
    Thread.sleep(300);
    assertThat(proposals).isEmpty();
    mempool.submit(List.of(transfer(accounts.get(0), 0, to, 1)));
    Chains.await(Duration.ofSeconds(5), "a proposal", () -> !proposals.isEmpty());
    assertThat(proposals.get(0).getTransactionsCount()).isEqualTo(2);
  }
}
