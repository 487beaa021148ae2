package org.fedledger.node.agent;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.partition.DirichletPartitioner;

/** Splits a training set among data owners, non-IID, as in the demo and the tests. */
public final class OwnerData {
  private OwnerData() {}

  /**
   * A seeded sample of at most limit samples, split among owners by a Dirichlet(alpha) draw over
   * labels (smaller alpha = more skewed owners).
   */
  public static LabeledData[] dirichlet(
      LabeledData train, int owners, int limit, double alpha, long seed) {
    LabeledData sample = sample(train, limit, seed);
    int[][] parts =
        new DirichletPartitioner(alpha)
            .partition(sample.labels(), sample.classCount(), owners, seed);
    LabeledData[] out = new LabeledData[owners];
    for (int i = 0; i < owners; i++) {
      out[i] = sample.subset(parts[i]);
    }
    return out;
  }

  /** A seeded uniform sample of at most limit samples (all if limit is 0), in original order. */
  public static LabeledData sample(LabeledData data, int limit, long seed) {
    if (limit <= 0 || limit >= data.size()) {
      return data;
    }
    int[] order = new int[data.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < limit; i++) {
      int j = i + random.nextInt(order.length - i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] chosen = Arrays.copyOf(order, limit);
    Arrays.sort(chosen);
    return data.subset(chosen);
  }
}
