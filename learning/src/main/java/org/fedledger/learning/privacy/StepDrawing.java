package org.fedledger.learning.privacy;

/**
 * Where a DP-SGD round gets each step's secret draws ({@link StepDraws}): the Poisson sample and
 * the noise, in the order a single thread drawing step by step gives, so that for a given key every
 * source hands out the same records and noise.
 *
 * <p>{@link #start} picks the source by the model's size. The noise of a large model is worth
 * drawing on a second thread while the engine runs ({@link NoiseAhead}); for a small one the
 * hand-over between the threads (a wake-up per step, and on a busy machine a wait for a core) costs
 * more than the draws themselves, so they are drawn inline on the trainer's thread ({@link
 * NoiseInline}).
 */
public interface StepDrawing extends AutoCloseable {
  /**
   * Models with fewer coordinates than this draw their noise inline. A ziggurat draw costs a few
   * nanoseconds, so this many are well under a millisecond a step: less than the hand-over's
   * wake-up on a loaded machine, and less than a dense layer's matrix products on a batch, which is
   * what a second thread could hide them behind (BENCHMARKS.md, "Differential privacy").
   */
  long INLINE_BELOW_COORDINATES = 1 << 16;

  /**
   * The next step's draws. The previous step's draws may be reused, so they must no longer be read.
   *
   * @throws IllegalStateException if all the round's steps were taken, or drawing failed
   */
  StepDraws next();

  /** Stops drawing and wipes every draw made, so that no noise outlives the round in memory. */
  @Override
  void close();

  /**
   * Draws the {@code dp.steps()} steps of a round over {@code records} local records and a gradient
   * of {@code coordinates} values, with noise of {@link DpConfig#noiseStddev} on the grid γ ({@link
   * SecureNoise#granularity}): inline below {@link #INLINE_BELOW_COORDINATES}, ahead on a second
   * thread from there.
   *
   * @throws IllegalArgumentException if there are no records or no coordinates, or more coordinates
   *     than one array holds
   */
  static StepDrawing start(
      SecureNoise noise, DpConfig dp, int records, long coordinates, double granularity) {
    if (coordinates < INLINE_BELOW_COORDINATES) {
      return NoiseInline.start(noise, dp, records, coordinates, granularity);
    }
    return NoiseAhead.start(noise, dp, records, coordinates, granularity);
  }
}
