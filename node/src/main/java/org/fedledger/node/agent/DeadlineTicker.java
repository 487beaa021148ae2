package org.fedledger.node.agent;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.fedledger.core.proto.training.Advance;
import org.fedledger.core.proto.training.Job;
import org.fedledger.ledger.training.TrainingMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Round deadlines are block heights, and blocks are cut only for transactions: while a job runs,
 * this sends its {@code Advance} every interval so heights (and deadlines) move even when nobody
 * else has anything to say, e.g. when a selected participant has died.
 */
public final class DeadlineTicker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeadlineTicker.class);

  private final TxSender tx;
  private final BooleanSupplier active;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "deadline-ticker");
            t.setDaemon(true);
            return t;
          });

  public DeadlineTicker(TxSender tx, long intervalMillis) {
    this(tx, intervalMillis, () -> true);
  }

  /**
   * A ticker that sends only while active says so, e.g. while its node leads, so that a network of
   * nodes each running one ticks once per interval.
   */
  public DeadlineTicker(TxSender tx, long intervalMillis, BooleanSupplier active) {
    if (intervalMillis < 1) {
      throw new IllegalArgumentException(
          "deadline tick interval must be at least 1 ms, got " + intervalMillis);
    }
    this.tx = tx;
    this.active = active;
    // tick() catches its own failures; close() stops the timer.
    var unused =
        timer.scheduleWithFixedDelay(
            this::tick, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    if (!active.getAsBoolean()) {
      return;
    }
    try {
      for (Job job : new TrainingState(tx.chain().ledger()).runningJobs()) {
        tx.send(
            TrainingMessages.MODULE,
            TrainingMessages.ADVANCE,
            Advance.newBuilder().setJobId(job.getJobId()).build());
      }
    } catch (TxSender.TxRefusedException | RuntimeException e) {
      log.debug("deadline tick: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
