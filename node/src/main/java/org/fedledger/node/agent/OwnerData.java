package org.fedledger.node.agent;

import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.partition.DirichletPartitioner;
import org.fedledger.learning.simulation.FederatedData;

/**
 * Splits a training set among data owners, non-IID, as in the demo and the tests. (To give owners
 * exactly the data a simulation of the same job trains on, use learning's {@link
 * FederatedData#of}.)
 */
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

  /**
   * A seeded uniform sample of at most limit samples (all if limit is 0), in original order: the
   * simulation's sampling ({@link FederatedData#sample}).
   */
  public static LabeledData sample(LabeledData data, int limit, long seed) {
    return FederatedData.sample(data, limit, seed);
  }
}
