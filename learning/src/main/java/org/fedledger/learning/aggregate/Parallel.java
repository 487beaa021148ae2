package org.fedledger.learning.aggregate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs independent tasks (coordinate blocks) on a number of threads. Only the scheduling depends on
 * the thread count: each task writes its own output slots, so results never depend on it.
 */
public record Parallel(int threads) {
  public static final Parallel SERIAL = new Parallel(1);

  public Parallel {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
  }

  /** As many threads as the machine has processors. */
  public static Parallel available() {
    return new Parallel(Runtime.getRuntime().availableProcessors());
  }

  /** Runs body(0) .. body(tasks - 1), each exactly once, and waits for all of them. */
  public void forEach(int tasks, IntConsumer body) {
    int workers = Math.min(threads, tasks);
    if (workers <= 1) {
      for (int i = 0; i < tasks; i++) {
        body.accept(i);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            workers,
            r -> {
              Thread t = new Thread(r, "fedledger-aggregate");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> futures = new ArrayList<>(workers);
      for (int w = 0; w < workers; w++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < tasks; i = next.getAndIncrement()) {
                    body.accept(i);
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("aggregation interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("aggregation task failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
