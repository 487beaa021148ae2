package org.fedledger.learning.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.learning.train.Evaluation;
import org.fedledger.learning.train.LocalTrainer;
import org.fedledger.learning.train.Predictions;

/**
 * A simulation's workers: threads that each train with a {@link LocalTrainer} of their own (the
 * engine runs each on one PyTorch thread, see {@code Engines}), so that clients train on every
 * core. Tasks start in the order given and their results come back by task index, so what a caller
 * computes from them never depends on the number of workers or on which finished first.
 */
final class TrainerPool implements AutoCloseable {
  /** Test samples per evaluation task: fixed, so the evaluation's sums do not depend on workers. */
  static final int EVAL_CHUNK = 500;

  private final ExecutorService executor;
  private final BlockingQueue<LocalTrainer> idle;
  private final List<LocalTrainer> all = new ArrayList<>();

  /** A task that runs with a trainer lent to it for its duration. */
  interface Task<T> {
    T run(LocalTrainer trainer, int index);
  }

  TrainerPool(ModelSpec spec, int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    this.idle = new ArrayBlockingQueue<>(workers);
    AtomicInteger n = new AtomicInteger();
    ThreadFactory daemons =
        r -> {
          Thread t = new Thread(r, "simulation-worker-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.executor = Executors.newFixedThreadPool(workers, daemons);
    try {
      for (int i = 0; i < workers; i++) {
        LocalTrainer trainer = LocalTrainer.create(spec);
        all.add(trainer);
        idle.add(trainer);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Runs task for each index, starting them in the order of startOrder (a permutation of 0 .. n-1),
   * and returns the results indexed by task. A failed task cancels those not yet started and its
   * exception is rethrown.
   */
  <T> List<T> run(int[] startOrder, Task<T> task) {
    int n = startOrder.length;
    List<Future<T>> futures = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      futures.add(null);
    }
    for (int index : startOrder) {
      futures.set(index, executor.submit(() -> withTrainer(task, index)));
    }
    List<T> results = new ArrayList<>(n);
    try {
      for (Future<T> f : futures) {
        results.add(f.get());
      }
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(false));
      awaitStarted(futures);
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("a simulation worker failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(false));
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the simulation workers", e);
    }
    return results;
  }

  /**
   * The evaluation of weights on data, predicted in chunks of {@link #EVAL_CHUNK} samples in
   * parallel and joined in chunk order before the metrics are computed.
   */
  Evaluation evaluate(Weights weights, LabeledData data) {
    int n = data.size();
    if (n == 0) {
      throw new IllegalArgumentException("no samples to evaluate on");
    }
    int chunks = (n + EVAL_CHUNK - 1) / EVAL_CHUNK;
    int[] order = new int[chunks];
    for (int i = 0; i < chunks; i++) {
      order[i] = i;
    }
    List<Predictions> parts =
        run(
            order,
            (trainer, i) ->
                trainer.predict(
                    weights, data.range(i * EVAL_CHUNK, Math.min(n, (i + 1) * EVAL_CHUNK))));
    return Evaluation.of(data, Predictions.concat(parts));
  }

  private <T> T withTrainer(Task<T> task, int index) throws InterruptedException {
    LocalTrainer trainer = idle.take();
    try {
      return task.run(trainer, index);
    } finally {
      idle.add(trainer);
    }
  }

  // A task already running keeps its trainer; wait for it so that close() frees idle trainers only.
  private static void awaitStarted(List<? extends Future<?>> futures) {
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (ExecutionException | CancellationException e) {
        // reported through the first failure
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Stops the workers and frees every trainer's native memory. */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (LocalTrainer t : all) {
      t.close();
    }
  }
}
