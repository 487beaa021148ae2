package org.fedledger.learning.privacy;

/**
 * Draws each DP-SGD step's secret randomness when the trainer asks for it, on the trainer's own
 * thread: for models small enough that a second thread's hand-over costs more than the draws
 * ({@link StepDrawing}). One buffer serves every step and is wiped on close.
 *
 * <p>Not thread-safe: one trainer calls {@link #next}. The generator passed to {@link #start}
 * belongs to this object until {@link #close}.
 */
public final class NoiseInline implements StepDrawing {
  private final SecureNoise noise;
  private final double sampleRate;
  private final double stddev;
  private final double granularity;
  private final int steps;
  private final StepDraws draws;
  private int taken;

  private NoiseInline(
      SecureNoise noise, DpConfig dp, int records, int coordinates, double granularity) {
    this.noise = noise;
    this.sampleRate = dp.sampleRate();
    this.stddev = dp.noiseStddev();
    this.granularity = granularity;
    this.steps = dp.steps();
    this.draws = new StepDraws(records, coordinates);
  }

  /**
   * Draws the {@code dp.steps()} steps of a round one at a time, as {@link NoiseAhead#start} does
   * on its thread.
   *
   * @throws IllegalArgumentException if there are no records or no coordinates
   */
  public static NoiseInline start(
      SecureNoise noise, DpConfig dp, int records, long coordinates, double granularity) {
    StepDraws.checkSizes(records, coordinates);
    return new NoiseInline(noise, dp, records, (int) coordinates, granularity);
  }

  @Override
  public StepDraws next() {
    if (taken == steps) {
      throw new IllegalStateException("all " + steps + " DP steps of this round were drawn");
    }
    draws.draw(noise, sampleRate, stddev, granularity);
    taken++;
    return draws;
  }

  @Override
  public void close() {
    draws.wipe();
  }
}
