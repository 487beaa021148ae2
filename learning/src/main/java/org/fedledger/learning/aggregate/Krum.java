package org.fedledger.learning.aggregate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import org.fedledger.learning.tensor.NamedTensor;

/**
 * Krum and Multi-Krum (Blanchard et al. 2017). Each update is scored by the sum of squared
 * distances to its {@code n - f - 2} nearest other updates (at least 1), where f is the assumed
 * number of Byzantine clients; the {@code m} lowest-scoring updates (ties: lower client id) are
 * kept and averaged weighted by sample count, as Flower does; the others are reported as excluded.
 * Krum is {@code m = 1}. When f is not given it defaults to the largest value Krum tolerates,
 * {@code floor((n - 3) / 2)} (at least 0). An m larger than the round is capped at the round size.
 *
 * <p>Distances accumulate in double, per fixed tile of {@value #TILE} coordinates in a fixed
 * pattern ({@link Sums}), then tile by tile in order, so they are identical for any thread count.
 */
public final class Krum implements Combiner {
  private final int select;
  private final OptionalInt byzantine;

  /**
   * @param select m, how many updates to keep (1 for Krum)
   * @param byzantine f, the assumed number of Byzantine clients, or empty for the maximum tolerated
   */
  public Krum(int select, OptionalInt byzantine) {
    if (select < 1) {
      throw new IllegalArgumentException("multi-krum must keep at least 1 update, got " + select);
    }
    if (byzantine.isPresent() && byzantine.getAsInt() < 0) {
      throw new IllegalArgumentException(
          "assumed Byzantine count f must be >= 0, got " + byzantine.getAsInt());
    }
    this.select = select;
    this.byzantine = byzantine;
  }

  @Override
  public String name() {
    String f = byzantine.isPresent() ? ":" + byzantine.getAsInt() : "";
    return select == 1 ? "krum" + f : "multi-krum:" + select + f;
  }

  @Override
  public Combined combine(List<ClientUpdate> updates, Parallel parallel) {
    int n = updates.size();
    int f = byzantine.orElse(Math.max(0, (n - 3) / 2));
    int keep = Math.min(select, n);
    int neighbours = Math.max(1, Math.min(n - 1, n - f - 2));
    double[] scores = new double[n];
    if (n > 1) {
      double[][] dist = pairwiseSquaredDistances(updates, parallel);
      for (int i = 0; i < n; i++) {
        double[] others = new double[n - 1];
        int o = 0;
        for (int j = 0; j < n; j++) {
          if (j != i) {
            others[o++] = i < j ? dist[i][j] : dist[j][i];
          }
        }
        Arrays.sort(others);
        double s = 0;
        for (int k = 0; k < neighbours; k++) {
          s += others[k];
        }
        scores[i] = s;
      }
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order, Comparator.<Integer>comparingDouble(i -> scores[i]).thenComparingInt(i -> i));
    boolean[] kept = new boolean[n];
    for (int r = 0; r < keep; r++) {
      kept[order[r]] = true;
    }
    double threshold = scores[order[keep - 1]];
    List<ClientUpdate> selected = new ArrayList<>(keep);
    List<Exclusion> excluded = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (kept[i]) {
        selected.add(updates.get(i));
      } else {
        excluded.add(
            new Exclusion(
                updates.get(i).clientId(),
                String.format(
                    java.util.Locale.ROOT,
                    "not selected by %s: score %.6g (sum of squared distances to %d nearest) is"
                        + " above the %d lowest (cut-off %.6g, f=%d)",
                    name(),
                    scores[i],
                    neighbours,
                    keep,
                    threshold,
                    f)));
      }
    }
    return new Combined(WeightedMean.mean(selected, parallel), excluded);
  }

  /** Coordinates per tile of the distance computation: n tiles of 4 KB stay in cache together. */
  static final int TILE = 1024;

  /**
   * dist[i][j] for i < j: squared L2 distance between the deltas of updates i and j, the sum over
   * tiles of {@value #TILE} coordinates, in tile order, of {@link Sums#squaredDistance}.
   *
   * <p>Tile-major, so each tile of every update is read from memory once per thread and then reused
   * from cache for all its pairs. Threads take contiguous groups of rows i with about equal pair
   * counts; dist[i][j] is only ever touched by the thread owning row i, in tile order, so the
   * grouping cannot change the result.
   */
  static double[][] pairwiseSquaredDistances(List<ClientUpdate> updates, Parallel parallel) {
    int n = updates.size();
    double[][] dist = new double[n][n];
    if (n < 2) {
      return dist;
    }
    Blocks tiles = Blocks.of(updates.get(0).delta(), TILE);
    int tensorCount = updates.get(0).delta().tensors().size();
    float[][][] rows = new float[tensorCount][n][];
    for (int t = 0; t < tensorCount; t++) {
      for (int i = 0; i < n; i++) {
        List<NamedTensor> tensors = updates.get(i).delta().tensors();
        rows[t][i] = tensors.get(t).values();
      }
    }
    int[] bounds = balancedRowGroups(n, Math.min(parallel.threads(), n - 1));
    parallel.forEach(
        bounds.length - 1,
        g -> {
          for (int b = 0; b < tiles.count(); b++) {
            Blocks.Block tile = tiles.get(b);
            float[][] r = rows[tile.tensor()];
            for (int i = bounds[g]; i < bounds[g + 1]; i++) {
              float[] x = r[i];
              double[] di = dist[i];
              for (int j = i + 1; j < n; j++) {
                di[j] += Sums.squaredDistance(x, r[j], tile.from(), tile.to());
              }
            }
          }
        });
    return dist;
  }

  /** Row boundaries 0 = b0 < b1 < ... < bg = n - 1 splitting the pairs (i < j) about evenly. */
  static int[] balancedRowGroups(int n, int groups) {
    long total = (long) n * (n - 1) / 2;
    int[] bounds = new int[groups + 1];
    int g = 1;
    long acc = 0;
    for (int i = 0; i < n - 1 && g < groups; i++) {
      acc += n - 1 - i;
      if (acc * groups >= total * g) {
        bounds[g++] = i + 1;
      }
    }
    while (g <= groups) {
      bounds[g++] = n - 1;
    }
    return bounds;
  }
}
