package org.fedledger.learning.aggregate;

import java.util.Arrays;
import java.util.List;

/**
 * Coordinate-wise median of the deltas (Yin et al. 2018), unweighted: sample counts are claims a
 * Byzantine client could inflate. With an even count the two middle values are averaged (exactly,
 * in double, then rounded once).
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
              float[] scratch = new float[n];
              for (int k = from; k < to; k++) {
                for (int i = 0; i < n; i++) {
                  scratch[i] = rows[i][k];
                }
                Arrays.sort(scratch);
                out[k] =
                    (n & 1) == 1
                        ? scratch[n / 2]
                        : (float) (((double) scratch[n / 2 - 1] + scratch[n / 2]) / 2.0);
              }
            }),
        List.of());
  }
}
