package org.fedledger.consensus.block;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.fedledger.consensus.mempool.Mempool;
import org.fedledger.consensus.mempool.PooledTx;
import org.fedledger.consensus.vote.VotePool;
import org.fedledger.core.address.Address;
import org.fedledger.core.proto.BlockProposal;
import org.fedledger.core.proto.StateRootVote;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's block-cutting loop. It sleeps until a block's worth of transactions is pending or
 * the interval has passed with something to include, and only works while {@code canPropose} says
 * this node is a leader ready to take proposals.
 *
 * <p>Blocks are at least the interval apart, so that under load each carries many transactions. On
 * an idle chain the first transaction to arrive wakes the builder, which proposes it at once if the
 * last block is an interval old: a lone transaction (a training round's update, commit or
 * attestation) then waits for one replication, not for the rest of an interval it slept through.
 *
 * <p>Intervals are measured on the monotonic clock, so a wall clock stepped back does not stop
 * block production for the size of the step; the wall clock only stamps proposals, through {@link
 * ProposalTime}.
 */
public final class BlockBuilder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BlockBuilder.class);

  private final Mempool mempool;
  private final VotePool votes;
  private final ProposalSink sink;
  private final BlockParams params;
  private final Address proposer;
  private final Clock clock;
  private final LongSupplier monotonicMillis;
  private final LongSupplier lastBlockTimestamp;
  private final BooleanSupplier canPropose;

  /** Room left in a block for votes: a vote encodes to about 140 bytes. */
  private static final int VOTE_BYTES_RESERVED = 256 * 1024;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final Thread thread;
  private volatile boolean running = true;
  private int inFlight; // guarded by lock

  /** True while the loop sleeps with nothing pending, so that the next admission wakes it. */
  private volatile boolean idle;

  private long lastCutMillis; // monotonic
  private long lastTimestamp;

  /** The last block this node applied while running: its time, and when (monotonic). */
  private record Applied(long timestampMillis, long atMonotonicMillis) {}

  private volatile Applied lastApplied;

  public BlockBuilder(
      Mempool mempool,
      VotePool votes,
      ProposalSink sink,
      BlockParams params,
      Address proposer,
      Clock clock,
      LongSupplier lastBlockTimestamp,
      BooleanSupplier canPropose) {
    this(
        mempool,
        votes,
        sink,
        params,
        proposer,
        clock,
        () -> System.nanoTime() / 1_000_000,
        lastBlockTimestamp,
        canPropose);
  }

  /** As the public constructor, with the monotonic clock in milliseconds given (tests move it). */
  BlockBuilder(
      Mempool mempool,
      VotePool votes,
      ProposalSink sink,
      BlockParams params,
      Address proposer,
      Clock clock,
      LongSupplier monotonicMillis,
      LongSupplier lastBlockTimestamp,
      BooleanSupplier canPropose) {
    this.mempool = mempool;
    this.votes = votes;
    this.sink = sink;
    this.params = params;
    this.proposer = proposer;
    this.clock = clock;
    this.monotonicMillis = monotonicMillis;
    this.lastBlockTimestamp = lastBlockTimestamp;
    this.canPropose = canPropose;
    mempool.addAdmissionListener(
        admitted -> {
          if (idle || mempool.pendingCount() >= params.maxTxsPerBlock()) {
            poke();
          }
        });
    this.thread = new Thread(this::loop, "block-builder");
    this.thread.setDaemon(true);
  }

  public void start() {
    lastCutMillis = monotonicMillis.getAsLong();
    thread.start();
  }

  /**
   * Tells the builder that this node applied a block with the given time, now: the reference its
   * next proposal's time may not run away from (see {@link ProposalTime}). Call on every node, in
   * apply order.
   */
  public void blockApplied(long timestampMillis) {
    lastApplied = new Applied(timestampMillis, monotonicMillis.getAsLong());
  }

  /** Re-examines the mempool now, for example after leadership changed. */
  public void poke() {
    lock.lock();
    try {
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    long intervalMillis = params.blockInterval().toMillis();
    while (running) {
      try {
        lock.lock();
        try {
          // Admissions poke from here on (poke() signals under this lock, so not before the wait
          // below has begun); if there was nothing to wait for but work, they stop poking again.
          idle = true;
          Wait wait = nextWait(intervalMillis);
          idle = wait.forWork();
          if (wait.millis() > 0) {
            wake.await(wait.millis(), TimeUnit.MILLISECONDS);
            idle = false;
            continue;
          }
        } finally {
          lock.unlock();
        }
        cut();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // A failed cut must not end block production; the next round tries again.
        LOG.error("cutting a block failed; retrying after the block interval", e);
        sleepQuietly(intervalMillis);
      }
    }
  }

  /**
   * How long to sleep before looking again (0: cut a block now), and whether the only reason to
   * sleep is that there is nothing to propose, so that an admission should end the sleep.
   */
  private record Wait(long millis, boolean forWork) {
    static final Wait NONE = new Wait(0, false);
  }

  private Wait nextWait(long intervalMillis) {
    if (!running) {
      return Wait.NONE;
    }
    if (!canPropose.getAsBoolean() || inFlight >= params.maxInFlightBlocks()) {
      return new Wait(intervalMillis, false);
    }
    int pending = mempool.pendingCount();
    if (pending >= params.maxTxsPerBlock()) {
      return Wait.NONE;
    }
    if (pending == 0 && !votes.hasUrgent()) {
      return new Wait(intervalMillis, true);
    }
    long sinceLast = monotonicMillis.getAsLong() - lastCutMillis;
    return new Wait(Math.max(0, intervalMillis - sinceLast), false);
  }

  private void cut() {
    if (!running || !canPropose.getAsBoolean()) {
      return;
    }
    List<PooledTx> txs =
        mempool.reap(params.maxTxsPerBlock(), params.maxBlockBytes() - VOTE_BYTES_RESERVED);
    lastCutMillis = monotonicMillis.getAsLong();
    // Pending transactions that cannot execute yet (a nonce gap) are no reason for a block.
    if (txs.isEmpty() && !votes.hasUrgent()) {
      return;
    }
    List<StateRootVote> pickedVotes = votes.take(params.maxVotesPerBlock());
    if (txs.isEmpty() && pickedVotes.isEmpty()) {
      return;
    }
    long timestamp = proposalTime();
    lastTimestamp = timestamp;
    BlockProposal.Builder b =
        BlockProposal.newBuilder()
            .setTimestampMillis(timestamp)
            .setProposer(proposer.toByteString())
            .addAllStateRootVotes(pickedVotes);
    for (PooledTx tx : txs) {
      b.addTransactions(tx.signed());
    }
    BlockProposal proposal = b.build();
    LOG.debug("cutting a block of {} txs and {} votes", txs.size(), pickedVotes.size());
    lock.lock();
    try {
      inFlight++;
    } finally {
      lock.unlock();
    }
    CompletableFuture<?> submitted;
    try {
      submitted = sink.propose(proposal);
    } catch (RuntimeException e) {
      submitted = CompletableFuture.failedFuture(e);
    }
    // The callback handles both outcomes itself; nothing waits on what it returns.
    var unused =
        submitted.whenComplete(
            (reply, failure) -> {
              if (failure != null) {
                LOG.warn(
                    "proposal with {} txs and {} votes was not accepted ({}); requeueing them",
                    txs.size(),
                    pickedVotes.size(),
                    failure.toString());
                mempool.requeue(txs);
                votes.addAll(pickedVotes);
              }
              lock.lock();
              try {
                inFlight--;
                wake.signalAll();
              } finally {
                lock.unlock();
              }
            });
  }

  private long proposalTime() {
    long parent = lastBlockTimestamp.getAsLong();
    Applied applied = lastApplied;
    // A parent this node did not see applied (restart, snapshot install): no reference, the wall
    // clock rules within the ledger's step bound.
    long sinceApplied =
        applied != null && applied.timestampMillis() == parent
            ? monotonicMillis.getAsLong() - applied.atMonotonicMillis()
            : -1;
    return ProposalTime.next(clock.millis(), lastTimestamp, parent, sinceApplied);
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
