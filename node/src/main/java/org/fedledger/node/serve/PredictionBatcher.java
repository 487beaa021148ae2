package org.fedledger.node.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Dynamic batching: requests wait in a queue; one inference thread takes the first, then whatever
 * else arrives within {@code maxWaitMicros} up to {@code maxBatchRows} rows, runs them through the
 * model in one forward pass and completes each request's future with its own rows' outputs. One
 * thread because a DJL model is not thread-safe and PyTorch runs one intra-op thread here (see
 * learning's Engines); batching is what buys throughput, by paying the per-call overhead of a
 * forward pass once for many rows.
 */
public final class PredictionBatcher implements AutoCloseable {
  private static final int QUEUE_CAPACITY = 65_536;

  private final ServedModel model;
  private final int maxBatchRows;
  private final long maxWaitNanos;
  private final IntConsumer batchSizes;
  private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final Thread thread;
  private volatile boolean closed;
  // Orders submit's check-and-queue against close, so that every queued request's future is
  // completed (by the inference thread, or by close) and a caller may wait for it untimed.
  private final Object admission = new Object();

  private record Pending(float[] inputs, int rows, CompletableFuture<float[]> result) {}

  /**
   * @param batchSizes told the row count of each forward pass (for metrics)
   */
  public PredictionBatcher(
      ServedModel model, int maxBatchRows, long maxWaitMicros, IntConsumer batchSizes) {
    if (maxBatchRows < 1 || maxWaitMicros < 0) {
      throw new IllegalArgumentException(
          "a batch needs at least 1 row and a wait of at least 0 µs, got "
              + maxBatchRows
              + " rows and "
              + maxWaitMicros
              + " µs");
    }
    this.model = model;
    this.maxBatchRows = maxBatchRows;
    this.maxWaitNanos = TimeUnit.MICROSECONDS.toNanos(maxWaitMicros);
    this.batchSizes = batchSizes;
    this.thread = new Thread(this::run, "predict-" + model.spec().type().id());
    thread.setDaemon(true);
    thread.start();
  }

  public ServedModel model() {
    return model;
  }

  /**
   * Queues rows (laid end to end) and returns their outputs (outputSize per row) when their batch
   * has run; completes exceptionally if the queue is full, the server is closing or inference
   * fails.
   */
  public CompletableFuture<float[]> submit(float[] inputs, int rows) {
    CompletableFuture<float[]> result = new CompletableFuture<>();
    boolean queued;
    synchronized (admission) {
      if (closed) {
        result.completeExceptionally(new IllegalStateException("the model is no longer served"));
        return result;
      }
      queued = queue.offer(new Pending(inputs, rows, result));
    }
    if (!queued) {
      result.completeExceptionally(
          new IllegalStateException(QUEUE_CAPACITY + " requests are waiting; try again later"));
    }
    return result;
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    while (!closed) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        int rows = first.rows();
        long deadline = System.nanoTime() + maxWaitNanos;
        while (rows < maxBatchRows) {
          Pending next = queue.peek();
          if (next != null && rows + next.rows() > maxBatchRows) {
            break;
          }
          long left = deadline - System.nanoTime();
          next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
          if (next == null) {
            break;
          }
          batch.add(next);
          rows += next.rows();
        }
        runBatch(batch, rows);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        batch.clear();
      }
    }
    failWaiting();
  }

  // Fails every request still queued: the thread's last act, and close's after it.
  private void failWaiting() {
    for (Pending p; (p = queue.poll()) != null; ) {
      p.result().completeExceptionally(new IllegalStateException("the model is no longer served"));
    }
  }

  private void runBatch(List<Pending> batch, int rows) {
    int in = model.inputSize();
    int out = model.outputSize();
    try {
      float[] inputs;
      if (batch.size() == 1) {
        inputs = batch.get(0).inputs();
      } else {
        inputs = new float[rows * in];
        int at = 0;
        for (Pending p : batch) {
          System.arraycopy(p.inputs(), 0, inputs, at, p.rows() * in);
          at += p.rows() * in;
        }
      }
      float[] outputs = model.forward(inputs, rows);
      batchSizes.accept(rows);
      int at = 0;
      for (Pending p : batch) {
        float[] mine = new float[p.rows() * out];
        System.arraycopy(outputs, at, mine, 0, mine.length);
        at += mine.length;
        p.result().complete(mine);
      }
    } catch (RuntimeException e) {
      for (Pending p : batch) {
        p.result().completeExceptionally(e);
      }
    }
  }

  /** Stops the inference thread, fails what still waits, and closes the model. */
  @Override
  public void close() {
    synchronized (admission) {
      closed = true;
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // An inference thread stuck in a forward pass for longer leaves the queue to fail here.
    failWaiting();
    model.close();
  }
}
