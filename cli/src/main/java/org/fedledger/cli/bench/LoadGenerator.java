package org.fedledger.cli.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.fedledger.consensus.app.AppliedBlock;
import org.fedledger.consensus.mempool.SubmitResult;
import org.fedledger.consensus.node.ConsensusNode;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.tx.TxRejection;

/**
 * Submits pre-signed transactions to a {@link LocalNetwork} and records, per transaction, when it
 * was submitted and when a block containing it was applied on the node it was submitted to.
 *
 * <p>Flow control: at most {@code window} transactions are submitted and not yet committed. The
 * ledger admits a sender's nonces only up to a fixed distance ahead of its committed nonce (64 by
 * default), so the window must stay below that distance times the number of senders; a transaction
 * refused for its nonce or a full mempool anyway is resubmitted, keeping its first submission time.
 *
 * <p>Open loop ({@code rate > 0}): transaction i is due at {@code i / rate} seconds, and its
 * latency is measured from that due time, so that a stalled submitter cannot hide latency (no
 * coordinated omission). Closed loop ({@code rate == 0}): as fast as the window allows, latency
 * measured from the actual submit call.
 */
final class LoadGenerator implements AutoCloseable {
  /** Where transactions go: all to the current leader, or batches round-robin over all nodes. */
  enum Target {
    LEADER,
    ALL
  }

  /** What a run measured. */
  record Measured(long[] latencyNanos, long firstSubmitNanos, long lastCommitNanos, int retries) {}

  private final LocalNetwork network;
  private final List<byte[]> txs;
  private final Map<Hash, Integer> indexOf;
  private final int window;
  private final int batchSize;
  private final Target target;
  private final PrintStream progress;

  private final long[] submitNanos;
  private final long[] commitNanos;
  private final byte[] submittedTo;
  private final AtomicInteger committed = new AtomicInteger();
  private final AtomicInteger retries = new AtomicInteger();
  private final AtomicLong lastCommit = new AtomicLong();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final Object commitSignal = new Object();
  private final List<Consumer<AppliedBlock>> listeners = new ArrayList<>();

  LoadGenerator(
      LocalNetwork network,
      List<byte[]> txs,
      List<Hash> hashes,
      int window,
      int batchSize,
      Target target,
      PrintStream progress) {
    this.network = network;
    this.txs = txs;
    this.window = window;
    this.batchSize = batchSize;
    this.target = target;
    this.progress = progress;
    this.indexOf = new HashMap<>(hashes.size() * 2);
    for (int i = 0; i < hashes.size(); i++) {
      indexOf.put(hashes.get(i), i);
    }
    this.submitNanos = new long[txs.size()];
    this.commitNanos = new long[txs.size()];
    this.submittedTo = new byte[txs.size()];
    List<ConsensusNode> nodes = network.nodes();
    for (int k = 0; k < nodes.size(); k++) {
      int node = k;
      Consumer<AppliedBlock> listener = block -> onBlock(node, block);
      nodes.get(k).addBlockListener(listener);
      listeners.add(listener);
    }
  }

  /** Stops following the nodes' blocks; a later phase's generator takes over. */
  @Override
  public void close() {
    List<ConsensusNode> nodes = network.nodes();
    for (int k = 0; k < nodes.size(); k++) {
      nodes.get(k).removeBlockListener(listeners.get(k));
    }
  }

  /** Runs on each node's Raft apply thread: a map lookup per transaction, nothing more. */
  private void onBlock(int node, AppliedBlock block) {
    long now = System.nanoTime();
    int mine = 0;
    for (AppliedBlock.TxOutcome o : block.outcomes()) {
      Integer i = indexOf.get(o.txHash());
      if (i == null || submittedTo[i] != node || commitNanos[i] != 0) {
        continue;
      }
      commitNanos[i] = now;
      mine++;
      if (!o.ok() && failures.size() < 10) {
        String failure = "transfer " + i + " failed in block " + block.height() + ": " + o.error();
        failures.add(failure);
        progress.println("bench: " + failure);
      }
    }
    if (mine > 0) {
      lastCommit.accumulateAndGet(now, Math::max);
      committed.addAndGet(mine);
      synchronized (commitSignal) {
        commitSignal.notifyAll();
      }
    }
  }

  /**
   * Submits transactions [from, total) and waits until all of them are committed, or fails after
   * timeout. Those before from must be committed already (an earlier run, e.g. a warm-up).
   */
  Measured run(int from, int total, double rate, Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    ArrayDeque<Integer> resubmit = new ArrayDeque<>();
    int next = from;
    int rr = 0;
    retries.set(0);
    ScheduledExecutorService reporter = startProgress(start);
    try {
      while (next < total || !resubmit.isEmpty()) {
        checkDeadline(deadline, "submitting");
        checkFailures();
        awaitWindow(next, deadline);
        int due = total;
        if (rate > 0) {
          due = (int) Math.min(total, from + (long) ((System.nanoTime() - start) * rate / 1e9) + 1);
          if (due <= next && resubmit.isEmpty()) {
            long dueAt = start + (long) ((next - from) * 1e9 / rate);
            TimeUnit.NANOSECONDS.sleep(Math.max(0, dueAt - System.nanoTime()));
            continue;
          }
        }
        List<Integer> batch = new ArrayList<>(batchSize);
        while (!resubmit.isEmpty() && batch.size() < batchSize) {
          batch.add(resubmit.poll());
        }
        int room = window - (next - committed.get());
        while (next < due && batch.size() < batchSize && room-- > 0) {
          batch.add(next++);
        }
        if (batch.isEmpty()) {
          continue;
        }
        int node = pickNode(rr++);
        ConsensusNode n = network.nodes().get(node);
        long now = System.nanoTime();
        List<byte[]> encoded = new ArrayList<>(batch.size());
        for (int i : batch) {
          if (submitNanos[i] == 0) {
            submitNanos[i] = rate > 0 ? start + (long) ((i - from) * 1e9 / rate) : now;
          }
          submittedTo[i] = (byte) node;
          encoded.add(txs.get(i));
        }
        List<SubmitResult> results = n.submit(encoded);
        boolean backOff = false;
        for (int j = 0; j < results.size(); j++) {
          SubmitResult r = results.get(j);
          if (r.accepted()) {
            continue;
          }
          if (r.rejection() == TxRejection.MEMPOOL_FULL || r.rejection() == TxRejection.BAD_NONCE) {
            resubmit.add(batch.get(j));
            retries.incrementAndGet();
            if (retries.get() <= 3) {
              progress.println("bench: resubmitting after " + r.rejection() + ": " + r.message());
            }
            backOff = true;
          } else {
            throw new IllegalStateException(
                "node v"
                    + node
                    + " refused transfer "
                    + batch.get(j)
                    + " ("
                    + r.rejection()
                    + "): "
                    + r.message());
          }
        }
        if (backOff) {
          // The refused ones wait for the next blocks to commit; do not spin on them.
          Thread.sleep(20);
        }
      }
      synchronized (commitSignal) {
        while (committed.get() < total) {
          checkDeadline(deadline, "waiting for commits");
          checkFailures();
          commitSignal.wait(50);
        }
      }
    } finally {
      reporter.shutdownNow();
    }
    checkFailures();
    long[] latency = new long[total - from];
    long first = rate > 0 ? start : Long.MAX_VALUE;
    for (int i = from; i < total; i++) {
      latency[i - from] = Math.max(0, commitNanos[i] - submitNanos[i]);
      first = Math.min(first, submitNanos[i]);
    }
    return new Measured(latency, first, lastCommit.get(), retries.get());
  }

  /** Every transfer of the workload should succeed; one that fails means a bug, so stop. */
  private void checkFailures() {
    if (!failures.isEmpty()) {
      throw new IllegalStateException(
          "transfers failed on chain, which this workload never expects: " + failures);
    }
  }

  private int pickNode(int round) {
    List<ConsensusNode> nodes = network.nodes();
    if (target == Target.ALL) {
      return round % nodes.size();
    }
    for (int k = 0; k < nodes.size(); k++) {
      if (nodes.get(k).isLeader()) {
        return k;
      }
    }
    return 0; // no leader right now: any node forwards once one is elected
  }

  private void awaitWindow(int next, long deadline) throws InterruptedException {
    synchronized (commitSignal) {
      while (next - committed.get() >= window) {
        checkDeadline(deadline, "waiting for the submission window");
        commitSignal.wait(50);
      }
    }
  }

  private void checkDeadline(long deadline, String doing) {
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException(
          "timed out "
              + doing
              + ": "
              + committed.get()
              + " of "
              + txs.size()
              + " transfers committed; raise --timeout or lower --txs");
    }
  }

  private ScheduledExecutorService startProgress(long start) {
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bench-progress");
              t.setDaemon(true);
              return t;
            });
    int[] last = {0};
    // If a progress line fails, the lines stop; the bench itself does not depend on them.
    var unused =
        s.scheduleAtFixedRate(
            () -> {
              int c = committed.get();
              ConsensusNode first = network.nodes().get(0);
              progress.printf(
                  Locale.ROOT,
                  "bench: %5.1f s  committed %d/%d  (%d tx/s over the last 2 s)  height %d  mempool"
                      + " %d (%d pending)  retries %d%n",
                  (System.nanoTime() - start) / 1e9,
                  c,
                  txs.size(),
                  (c - last[0]) / 2,
                  first.height(),
                  first.mempool().size(),
                  first.mempool().pendingCount(),
                  retries.get());
              last[0] = c;
            },
            2,
            2,
            TimeUnit.SECONDS);
    return s;
  }
}
