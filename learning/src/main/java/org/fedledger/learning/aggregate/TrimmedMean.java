package org.fedledger.learning.aggregate;

import java.util.List;

/**
 * Coordinate-wise trimmed mean (Yin et al. 2018): for each coordinate, drop the {@code floor(beta *
 * n)} largest and smallest values and average the rest, unweighted, summing in sorted order in
 * double and rounding once.
 */
public final class TrimmedMean implements Combiner {
  private final double beta;

  /**
   * @param beta fraction trimmed from each side, in [0, 0.5)
   */
  public TrimmedMean(double beta) {
    if (!(beta >= 0 && beta < 0.5)) {
      throw new IllegalArgumentException(
          "trimmed-mean fraction must be in [0, 0.5) (trimmed from each side), got " + beta);
    }
    this.beta = beta;
  }

  public double beta() {
    return beta;
  }

  @Override
  public String name() {
    return "trimmed-mean:" + beta;
  }

  @Override
  public Combined combine(List<ClientUpdate> updates, Parallel parallel) {
    int n = updates.size();
    int cut = (int) Math.floor(beta * n);
    int kept = n - 2 * cut;
    return new Combined(
        CoordinateKernel.apply(
            updates,
            parallel,
            (rows, out, from, to) -> {
              int[] sorted = new int[n];
              for (int k = from; k < to; k++) {
                OrderStatistics.sortedColumn(rows, k, sorted);
                double s = 0;
                for (int i = cut; i < n - cut; i++) {
                  s += OrderStatistics.value(sorted[i]);
                }
                out[k] = (float) (s / kept);
              }
            }),
        List.of());
  }
}
