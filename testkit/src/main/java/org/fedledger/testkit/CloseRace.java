package org.fedledger.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Races a component's close against threads that keep submitting work to it, for components whose
 * callers wait for a submitted future untimed: every future taken must then complete, answered or
 * refused, or a caller would wait for ever.
 */
public final class CloseRace {
  private CloseRace() {}

  /**
   * Runs {@code threads} threads that each call {@code submit} {@code each} times (with 1, 2, ...),
   * closes the component a few milliseconds in, and returns every future the submits returned.
   */
  public static <T> List<CompletableFuture<T>> futuresTakenWhileClosing(
      int threads, int each, IntFunction<CompletableFuture<T>> submit, Runnable close)
      throws Exception {
    List<CompletableFuture<T>> taken = Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService clients = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> loops = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        loops.add(
            clients.submit(
                () -> {
                  for (int i = 1; i <= each; i++) {
                    taken.add(submit.apply(i));
                  }
                }));
      }
      Thread.sleep(5);
      close.run();
      for (Future<?> loop : loops) {
        loop.get();
      }
    }
    synchronized (taken) {
      return List.copyOf(taken);
    }
  }
}
