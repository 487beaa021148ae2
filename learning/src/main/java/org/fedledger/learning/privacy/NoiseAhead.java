package org.fedledger.learning.privacy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Draws DP-SGD's secret randomness for a round one step ahead, on a thread of its own, while the
 * engine computes the current step. Neither the Poisson sample nor the noise depends on the data,
 * so drawing them early changes nothing but when the work is done; drawing the noise was the
 * largest share of a DP step for models of a few hundred thousand parameters (BENCHMARKS.md,
 * "Differential privacy").
 *
 * <p><b>The same draws as drawing in turn.</b> Only the drawing thread touches the generator, and
 * it draws the steps in order, each as {@link StepDraws#draw} does: the sampling decision of every
 * record, then the noise of every coordinate. So for a given key the records and the noise of every
 * step are exactly those a single thread drawing step by step gets (tested with a fixed-key
 * generator).
 *
 * <p><b>Nothing leaks.</b> Two buffers take turns: the trainer reads one while the other is filled,
 * so at most one unused step's noise exists at a time. The noise never leaves this object but
 * through {@link StepDraws}, which the trainer adds to the gradient at once. {@link #close} stops
 * the thread, waits for it and wipes both buffers, also when training fails part-way.
 *
 * <p>Not thread-safe on the consuming side: one trainer calls {@link #next}. The generator passed
 * to {@link #start} belongs to this object until {@link #close}.
 */
public final class NoiseAhead implements StepDrawing {
  // Put in place of a step's draws when drawing failed; the failure says why.
  private static final StepDraws FAILED = new StepDraws(0, 0);
  private static final LongAdder DRAWING_CPU = new LongAdder();

  private final BlockingQueue<StepDraws> free = new ArrayBlockingQueue<>(2);
  private final BlockingQueue<StepDraws> ready = new ArrayBlockingQueue<>(2);
  private final List<StepDraws> buffers;
  private final int steps;
  private final Thread drawer;
  private volatile RuntimeException failure;
  private StepDraws current;
  private int taken;

  private NoiseAhead(
      SecureNoise noise, DpConfig dp, int records, int coordinates, double granularity) {
    this.steps = dp.steps();
    this.buffers =
        List.of(new StepDraws(records, coordinates), new StepDraws(records, coordinates));
    free.addAll(buffers);
    double stddev = dp.noiseStddev();
    this.drawer =
        Thread.ofPlatform()
            .daemon()
            .name("dp-noise-ahead")
            .unstarted(() -> drawAll(noise, dp.sampleRate(), stddev, granularity));
  }

  /**
   * Starts drawing the {@code dp.steps()} steps of a round over {@code records} local records and a
   * gradient of {@code coordinates} values, with noise of {@link DpConfig#noiseStddev} on the grid
   * γ ({@link SecureNoise#granularity}).
   *
   * @throws IllegalArgumentException if there are no records or no coordinates
   */
  public static NoiseAhead start(
      SecureNoise noise, DpConfig dp, int records, long coordinates, double granularity) {
    StepDraws.checkSizes(records, coordinates);
    NoiseAhead ahead = new NoiseAhead(noise, dp, records, (int) coordinates, granularity);
    ahead.drawer.start();
    return ahead;
  }

  /**
   * The next step's draws, waiting for them if the drawing thread is behind. The previous step's
   * draws are handed back for reuse, so they must no longer be read.
   *
   * @throws IllegalStateException if all the round's steps were taken, or drawing failed
   */
  @Override
  public StepDraws next() {
    if (taken == steps) {
      throw new IllegalStateException("all " + steps + " DP steps of this round were drawn");
    }
    if (current != null) {
      free.add(current);
      current = null;
    }
    StepDraws draws;
    try {
      draws = ready.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for DP-SGD's noise", e);
    }
    if (draws == FAILED) {
      throw new IllegalStateException("drawing DP-SGD's noise failed", failure);
    }
    taken++;
    current = draws;
    return draws;
  }

  /**
   * The CPU time all drawing threads of this process have spent so far, in nanoseconds: the work
   * DP-SGD moved off the trainer's thread, which a benchmark adds to that thread's own.
   */
  public static long drawingCpuNanos() {
    return DRAWING_CPU.sum();
  }

  private void drawAll(SecureNoise noise, double sampleRate, double stddev, double granularity) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuAtStart = threads.getCurrentThreadCpuTime();
    try {
      for (int step = 0; step < steps; step++) {
        StepDraws draws = free.take();
        draws.draw(noise, sampleRate, stddev, granularity);
        ready.put(draws);
      }
    } catch (InterruptedException e) {
      // close() stops the drawing before the round's last step: nothing more is needed.
    } catch (RuntimeException e) {
      failure = e;
      ready.offer(FAILED);
    } finally {
      DRAWING_CPU.add(threads.getCurrentThreadCpuTime() - cpuAtStart);
    }
  }

  /** True while the drawing thread runs (it ends after the round's last step, or on close). */
  boolean drawing() {
    return drawer.isAlive();
  }

  /** Stops the drawing thread, waits for it, and wipes every draw made. */
  @Override
  public void close() {
    drawer.interrupt();
    boolean interrupted = false;
    while (true) {
      try {
        drawer.join();
        break;
      } catch (InterruptedException e) {
        // The wipe below must not race the drawing thread: keep waiting, re-interrupt afterwards.
        interrupted = true;
      }
    }
    for (StepDraws b : buffers) {
      b.wipe();
    }
    current = null;
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
