package org.fedledger.node.blob;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closes a stream at a deadline, so that a read blocked on a peer that trickles (or sends nothing)
 * fails then instead of waiting as long as the peer likes. Closing it stops the watch.
 */
final class Watchdog implements AutoCloseable {
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "blob-fetch-deadlines");
            t.setDaemon(true);
            return t;
          });

  private final ScheduledFuture<?> task;

  private Watchdog(ScheduledFuture<?> task) {
    this.task = task;
  }

  /**
   * Watches stream until closed; at deadlineNanos ({@link System#nanoTime}) sets fired and closes
   * the stream.
   */
  static Watchdog closeAt(long deadlineNanos, Closeable stream, AtomicBoolean fired) {
    long delay = Math.max(0, deadlineNanos - System.nanoTime());
    return new Watchdog(
        TIMER.schedule(
            () -> {
              fired.set(true);
              try {
                stream.close();
              } catch (IOException e) {
                // Closing is all we can do; the blocked read fails either way.
              }
            },
            delay,
            TimeUnit.NANOSECONDS));
  }

  @Override
  public void close() {
    task.cancel(false);
  }
}
