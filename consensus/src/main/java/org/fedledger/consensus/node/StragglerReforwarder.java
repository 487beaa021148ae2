package org.fedledger.consensus.node;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.fedledger.consensus.forward.Forwarder;
import org.fedledger.consensus.mempool.Mempool;
import org.fedledger.consensus.mempool.PooledTx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a follower, forwards again every half second what the leader has not committed after a while
 * (a forward can be lost with a leader change or a dropped connection; the mempool says which
 * transactions are due).
 */
final class StragglerReforwarder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StragglerReforwarder.class);
  private static final long PERIOD_MILLIS = 500;

  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "reforwarder");
            t.setDaemon(true);
            return t;
          });
  private final Mempool mempool;
  private final Forwarder forwarder;
  private final BooleanSupplier isRunningFollower;

  private StragglerReforwarder(
      Mempool mempool, Forwarder forwarder, BooleanSupplier isRunningFollower) {
    this.mempool = mempool;
    this.forwarder = forwarder;
    this.isRunningFollower = isRunningFollower;
  }

  /** Starts re-forwarding while isRunningFollower says this node is an open follower. */
  static StragglerReforwarder start(
      Mempool mempool, Forwarder forwarder, BooleanSupplier isRunningFollower) {
    StragglerReforwarder r = new StragglerReforwarder(mempool, forwarder, isRunningFollower);
    // The task catches its own failures; close() stops the executor.
    var unused =
        r.scheduler.scheduleWithFixedDelay(
            r::reforwardDue, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    return r;
  }

  private void reforwardDue() {
    try {
      if (isRunningFollower.getAsBoolean()) {
        List<PooledTx> due = mempool.dueForForwarding(System.nanoTime());
        if (!due.isEmpty()) {
          forwarder.enqueueTxs(due);
        }
      }
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again; this one must keep running.
      LOG.warn("re-forwarding pending transactions failed; trying again shortly", e);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
