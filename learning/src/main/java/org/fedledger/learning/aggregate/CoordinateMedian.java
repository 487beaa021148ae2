package org.fedledger.learning.aggregate;

import java.util.List;

/**
 * Coordinate-wise median of the deltas (Yin et al. 2018), unweighted: sample counts are claims a
 * Byzantine client could inflate. With an even count the two middle values are averaged (exactly,
 * in double, then rounded once). The middle values are found by selection ({@link
 * OrderStatistics}), not a full sort.
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
              int[] scratch = new int[n];
              for (int k = from; k < to; k++) {
                for (int i = 0; i < n; i++) {
                  scratch[i] = OrderStatistics.key(rows[i][k]);
                }
                out[k] = OrderStatistics.median(scratch, n);
              }
            }),
        List.of());
  }
}
