package org.fedledger.learning.privacy;

import java.util.Arrays;

/**
 * One DP-SGD step's secret draws: which records the Poisson sample took, and the noise for every
 * coordinate of the gradient in whole grid steps ({@link SecureNoise#drawGranules}). Handed out by
 * a {@link StepDrawing}, which reuses the arrays: what {@link #records} and {@link #granules}
 * return is valid only until the next step is asked for.
 */
public final class StepDraws {
  private final int[] records;
  private final double[] granules;
  private int size;

  StepDraws(int records, int coordinates) {
    this.records = new int[records];
    this.granules = new double[coordinates];
  }

  /**
   * Refuses a round that has nothing to draw for, or more coordinates than one array holds.
   *
   * @throws IllegalArgumentException naming the sizes
   */
  static void checkSizes(int records, long coordinates) {
    if (records < 1 || coordinates < 1) {
      throw new IllegalArgumentException(
          "DP-SGD needs records and parameters, got "
              + records
              + " records and "
              + coordinates
              + " parameters");
    }
    if (coordinates > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "DP-SGD draws noise for at most 2^31 parameters at once, the model has " + coordinates);
    }
  }

  /** How many records the step samples. */
  public int size() {
    return size;
  }

  /** The sampled records' indices, ascending, in the first {@link #size} places. */
  public int[] records() {
    return records;
  }

  /** The noise for each coordinate, in grid steps, coordinates in parameter order. */
  public double[] granules() {
    return granules;
  }

  /**
   * Draws the step as the sequential loop would: first the sampling decision for every record in
   * order, then the noise for every coordinate in order, from the one stream.
   */
  void draw(SecureNoise noise, double sampleRate, double stddev, double granularity) {
    size = 0;
    for (int i = 0; i < records.length; i++) {
      if (noise.sample(sampleRate)) {
        records[size++] = i;
      }
    }
    noise.drawGranules(granules, granules.length, stddev, granularity);
  }

  /** Overwrites the draws, so that no noise outlives the round in memory. */
  void wipe() {
    size = 0;
    Arrays.fill(records, 0);
    Arrays.fill(granules, 0);
  }
}
