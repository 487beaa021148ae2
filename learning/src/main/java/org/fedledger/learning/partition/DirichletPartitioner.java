package org.fedledger.learning.partition;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Label skew after Hsu et al. 2019: for each class, the share of its samples going to each client
 * is drawn from a symmetric Dirichlet(α); small α (0.1) gives each client few classes, large α
 * (100) approaches IID. The samples of a class are shuffled and cut at the cumulative shares.
 *
 * <p>No client is left empty: after the draw, each empty client in turn takes one random sample
 * from the client that then has the most samples (the lowest index among equals). Every sample
 * still belongs to exactly one client. The Gamma variates behind the Dirichlet use Marsaglia-Tsang
 * with {@link StrictMath}, so partitions are the same on every machine.
 */
public final class DirichletPartitioner implements Partitioner {
  private final double alpha;

  public DirichletPartitioner(double alpha) {
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException(
          "Dirichlet alpha must be a positive number, e.g. 0.5, got " + alpha);
    }
    this.alpha = alpha;
  }

  public double alpha() {
    return alpha;
  }

  @Override
  public int[][] partition(int[] labels, int classes, int clients, long seed) {
    Partitions.check(labels, classes, clients);
    SplittableRandom random = new SplittableRandom(seed);
    List<List<Integer>> parts = new ArrayList<>(clients);
    for (int c = 0; c < clients; c++) {
      parts.add(new ArrayList<>());
    }
    for (int k = 0; k < classes; k++) {
      int[] members = membersOf(labels, k);
      Partitions.shuffle(members, random);
      double[] shares = dirichlet(clients, random);
      double cumulative = 0;
      int from = 0;
      for (int c = 0; c < clients; c++) {
        cumulative += shares[c];
        int to =
            c == clients - 1
                ? members.length
                : Math.min(members.length, (int) StrictMath.floor(cumulative * members.length));
        for (int i = from; i < to; i++) {
          parts.get(c).add(members[i]);
        }
        from = Math.max(from, to);
      }
    }
    fillEmpty(parts, random);
    int[][] out = new int[clients][];
    for (int c = 0; c < clients; c++) {
      out[c] = parts.get(c).stream().mapToInt(Integer::intValue).toArray();
    }
    return Partitions.sorted(out);
  }

  private static int[] membersOf(int[] labels, int k) {
    int count = 0;
    for (int l : labels) {
      if (l == k) {
        count++;
      }
    }
    int[] m = new int[count];
    int j = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == k) {
        m[j++] = i;
      }
    }
    return m;
  }

  private static void fillEmpty(List<List<Integer>> parts, SplittableRandom random) {
    for (List<Integer> part : parts) {
      if (!part.isEmpty()) {
        continue;
      }
      List<Integer> largest = parts.get(0);
      for (List<Integer> p : parts) {
        if (p.size() > largest.size()) {
          largest = p;
        }
      }
      part.add(largest.remove(random.nextInt(largest.size())));
    }
  }

  private double[] dirichlet(int n, SplittableRandom random) {
    double[] g = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      g[i] = gamma(alpha, random);
      sum += g[i];
    }
    if (sum == 0) {
      // Possible only for tiny alpha, when every variate underflows: give all to one client.
      g[random.nextInt(n)] = 1;
      sum = 1;
    }
    for (int i = 0; i < n; i++) {
      g[i] /= sum;
    }
    return g;
  }

  /** Gamma(shape, 1) by Marsaglia and Tsang (2000), boosted for shape < 1. */
  static double gamma(double shape, SplittableRandom random) {
    if (shape < 1) {
      double u = random.nextDouble();
      return gamma(shape + 1, random) * StrictMath.pow(u, 1.0 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / StrictMath.sqrt(9 * d);
    while (true) {
      double x;
      double v;
      do {
        x = gaussian(random);
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      double u = random.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x) {
        return d * v;
      }
      if (StrictMath.log(u) < 0.5 * x * x + d * (1 - v + StrictMath.log(v))) {
        return d * v;
      }
    }
  }

  // Box-Muller, written out so the stream of variates is fixed by this code, not the JDK's.
  private static double gaussian(SplittableRandom random) {
    double u1;
    do {
      u1 = random.nextDouble();
    } while (u1 == 0);
    double u2 = random.nextDouble();
    return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * StrictMath.PI * u2);
  }

  @Override
  public String spec() {
    return "dirichlet:" + alpha;
  }

  @Override
  public String toString() {
    return spec();
  }
}
