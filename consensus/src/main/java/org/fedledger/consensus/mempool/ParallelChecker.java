package org.fedledger.consensus.mempool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs a CPU-bound function (decode and verify) over a batch on a fixed pool sized to the cores.
 * The batch is cut into one contiguous chunk per thread, the caller runs the last chunk itself: one
 * hand-off per chunk, never one per transaction.
 */
final class ParallelChecker implements AutoCloseable {
  /** Below this, splitting costs more than it saves. */
  private static final int MIN_CHUNK = 32;

  private final int threads;
  private final ExecutorService pool;

  ParallelChecker(int threads) {
    this.threads = threads;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "mempool-verify-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  <I, O> List<O> map(List<I> inputs, Function<I, O> fn) {
    int n = inputs.size();
    @SuppressWarnings("unchecked")
    O[] out = (O[]) new Object[n];
    int chunks = Math.max(1, Math.min(threads, n / MIN_CHUNK));
    int per = (n + chunks - 1) / chunks;
    List<Future<?>> futures = new ArrayList<>(chunks);
    for (int c = 0; c < chunks - 1; c++) {
      int from = c * per;
      int to = Math.min(n, from + per);
      futures.add(pool.submit(() -> run(inputs, fn, out, from, to)));
    }
    run(inputs, fn, out, (chunks - 1) * per, n);
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while checking transactions", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("checking transactions failed", e.getCause());
      }
    }
    return java.util.Arrays.asList(out);
  }

  private static <I, O> void run(List<I> inputs, Function<I, O> fn, O[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] = fn.apply(inputs.get(i));
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
