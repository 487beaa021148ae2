package org.fedledger.learning.privacy;

import org.fedledger.learning.train.LearningRateSchedule;

/**
 * The DP-SGD hyper-parameters a job with differential privacy trains with unless it names its own:
 * one recipe for every model, dataset and ε, chosen once from the runs of BENCHMARKS.md
 * ("Differential privacy", "DP defaults"), and read by every command that starts DP-SGD ({@code
 * bench privacy}, {@code simulate}, {@code job create}) so that they cannot drift apart.
 *
 * <p>Why these. At a fixed ε the accountant's σ grows about as q·√steps, so the noise per unit of
 * progress hardly depends on the sampling rate or the number of steps, as long as a step's batch is
 * not so small that its noise swamps it (a table's batch of 16 is); what decides accuracy is how
 * far each clipped step moves the weights and how much noise is left in them at the end. Every
 * example's gradient is clipped (C below the typical per-example norm, so each record counts once),
 * which makes a DP step much shorter than a plain one: the DP rate is a large multiple of the plain
 * rate. The noise the last rounds add is what stays in the model, so the rate falls along half a
 * cosine over the rounds.
 */
public final class DpDefaults {
  /** C, the per-example clip norm. */
  public static final double CLIP_NORM = 1.0;

  /**
   * The smallest expected DP batch q·n: a plain job's batch if larger. The noise of a step is σ·C
   * over the batch, so a small batch (16 records of a table) drowns each step in noise; at least
   * 128 records, or all of an owner's when it has fewer (q = 1).
   */
  public static final int MIN_BATCH = 128;

  /** The DP learning rate times C, as a multiple of the plain learning rate. */
  public static final double STEP_FACTOR = 16;

  /** How the DP learning rate changes over the rounds ({@link LearningRateSchedule}). */
  public static final String SCHEDULE = "cosine";

  private DpDefaults() {}

  /**
   * The DP learning rate for a plain rate and clip norm: {@link #STEP_FACTOR} × plainRate / C, so
   * that a smaller C takes a proportionally larger rate and a clipped step the same length.
   *
   * @throws IllegalArgumentException if either is not a positive finite number
   */
  public static double learningRate(double plainRate, double clipNorm) {
    positive("plain learning rate", plainRate);
    positive("DP clip norm", clipNorm);
    return STEP_FACTOR * plainRate / clipNorm;
  }

  /**
   * The expected DP batch for a plain batch size: the larger of it and {@link #MIN_BATCH}.
   *
   * @throws IllegalArgumentException if the batch is not positive
   */
  public static int batchSize(int plainBatch) {
    if (plainBatch < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + plainBatch);
    }
    return Math.max(plainBatch, MIN_BATCH);
  }

  private static void positive(String what, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(what + " must be a positive number, got " + value);
    }
  }
}
