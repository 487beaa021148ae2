package org.fedledger.node.agent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an agent's {@link #step} on the agent's own thread after each committed block (and every
 * half second, in case a block was missed). The block listener only queues a step, so Raft's apply
 * thread never waits for training or aggregation; queued steps coalesce.
 */
abstract class AgentLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentLoop.class);

  private final String name;
  private final ExecutorService worker;
  private final ScheduledExecutorService poller;
  private final AtomicBoolean queued = new AtomicBoolean();
  private volatile boolean closed;

  AgentLoop(String name) {
    this.name = name;
    this.worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "agent-" + name);
              t.setDaemon(true);
              return t;
            });
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "agent-" + name + "-poll");
              t.setDaemon(true);
              return t;
            });
  }

  public String name() {
    return name;
  }

  /** Starts following the chain. */
  void start(ChainAccess chain) {
    chain.onBlock(this::trigger);
    // trigger() hands the step to the worker, which catches its failures.
    var unused = poller.scheduleWithFixedDelay(this::trigger, 500, 500, TimeUnit.MILLISECONDS);
  }

  final void trigger() {
    if (closed || !queued.compareAndSet(false, true)) {
      return;
    }
    try {
      worker.execute(
          () -> {
            queued.set(false);
            if (closed) {
              return;
            }
            try {
              step();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } catch (Exception e) {
              // One failed step must not stop the agent: the next block retries.
              log.warn("agent {}: {}", name, e.toString(), e);
            }
          });
    } catch (RejectedExecutionException e) {
      queued.set(false);
    }
  }

  /** Looks at the chain and does whatever is due; runs on the agent's thread. */
  abstract void step() throws Exception;

  /**
   * PyTorch's grad mode is per thread and DJL turns it off only on the thread that loaded the
   * engine; training and evaluation load weights into parameters in place, which needs it off.
   */
  static void noGradOnThisThread() {
    org.fedledger.learning.train.Engines.pytorch();
    ai.djl.pytorch.jni.JniUtils.setGradMode(false);
  }

  boolean closed() {
    return closed;
  }

  /** Stops the agent (like a killed process: work in progress is abandoned). */
  @Override
  public void close() {
    closed = true;
    poller.shutdownNow();
    worker.shutdownNow();
    try {
      worker.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeResources();
  }

  void closeResources() {}
}
