package org.fedledger.learning.aggregate;

import java.util.List;

/**
 * Coordinate-wise median of the deltas (Yin et al. 2018), unweighted: sample counts are claims a
 * Byzantine client could inflate. With an even count the two middle values are averaged (exactly,
 * in double, then rounded once). Sorting goes through {@link OrderStatistics}.
 */
public final class CoordinateMedian implements Combiner {
  @Override
  public String name() {
    return "median";
  }

  @Override
  public Combined combine(List<ClientUpdate> updates, Parallel parallel) {
    int n = updates.size();
    return new Combined(
        CoordinateKernel.apply(
            updates,
            parallel,
            (rows, out, from, to) -> {
              int[] sorted = new int[n];
              for (int k = from; k < to; k++) {
                OrderStatistics.sortedColumn(rows, k, sorted);
                out[k] = OrderStatistics.median(sorted);
              }
            }),
        List.of());
  }
}
