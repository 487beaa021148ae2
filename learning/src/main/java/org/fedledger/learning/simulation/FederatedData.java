package org.fedledger.learning.simulation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.fedledger.learning.data.DataSplit;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.data.schema.DataFormat;
import org.fedledger.learning.data.stats.FeatureStatistics;
import org.fedledger.learning.data.stats.Standardization;
import org.fedledger.learning.partition.Partitioner;

/**
 * A data set as a federation sees it: the (possibly sampled) training set split among clients, and
 * the test set. {@link #of} is the simulation's data step, public so that a deployment (e.g. {@code
 * fedledger bench trust} giving the chain's data owners their data) can build exactly the
 * partitions a simulation of the same configuration trains on.
 *
 * @param train the training samples every client's part indexes into
 * @param test the test samples
 * @param parts for each client, the indices of its training samples (ascending); not copied, do not
 *     modify
 */
public record FederatedData(LabeledData train, LabeledData test, int[][] parts) {

  /**
   * The simulation's data for config from split: a seeded sample of at most {@code trainLimit}
   * training and {@code testLimit} test samples, and the training sample partitioned by {@code
   * partition} among {@code clients} with the run's seed. A table (a CSV schema) is then
   * standardized with the clients' combined feature statistics, as the chain's statistics step
   * would standardize it; images and Fashion-MNIST are left as read.
   *
   * @throws IllegalArgumentException if there are fewer training samples than clients, or the
   *     partitioner cannot split them
   */
  public static FederatedData of(SimulationConfig config, DataSplit split) {
    long seed = config.seed();
    LabeledData train = sample(split.train(), config.trainLimit(), Seeds.derive(seed, 1, 0));
    LabeledData test = sample(split.test(), config.testLimit(), Seeds.derive(seed, 2, 0));
    if (train.size() < config.clients()) {
      throw new IllegalArgumentException(
          config.clients()
              + " clients need at least as many training samples, but there are "
              + train.size());
    }
    int[][] parts =
        Partitioner.parse(config.partition())
            .partition(partitionLabels(train), partitionClasses(train), config.clients(), seed);
    FederatedData data = new FederatedData(train, test, parts);
    boolean table = config.schema().map(s -> s.format() == DataFormat.CSV).orElse(false);
    return table ? data.standardized(data.combinedStandardization()) : data;
  }

  /**
   * The standardization the chain would attest for these clients: each client's feature statistics,
   * combined in client order ({@link FeatureStatistics#combine}).
   */
  public Standardization combinedStandardization() {
    List<FeatureStatistics> parts = new ArrayList<>(clients());
    for (int c = 0; c < clients(); c++) {
      parts.add(FeatureStatistics.of(client(c)));
    }
    return FeatureStatistics.combine(parts).standardization();
  }

  /** The same clients and test set with every feature standardized. */
  public FederatedData standardized(Standardization standardization) {
    return new FederatedData(standardization.apply(train), standardization.apply(test), parts);
  }

  /** Regression samples are partitioned by the decile of their first target, as if a class. */
  static final int REGRESSION_BINS = 10;

  private static int partitionClasses(LabeledData train) {
    return train.isRegression() ? REGRESSION_BINS : train.classCount();
  }

  /**
   * What a label-skewed partition (Dirichlet, shards) skews: the class, or for a regression the
   * decile of the first target, so that a non-IID split gives owners different ranges of the
   * answer, as a class split gives them different classes.
   */
  static int[] partitionLabels(LabeledData train) {
    if (!train.isRegression()) {
      return train.labels();
    }
    int n = train.size();
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Float.compare(train.target(a, 0), train.target(b, 0)));
    int[] bins = new int[n];
    for (int rank = 0; rank < n; rank++) {
      bins[order[rank]] = (int) ((long) rank * REGRESSION_BINS / n);
    }
    return bins;
  }

  public int clients() {
    return parts.length;
  }

  /** Client c's training samples. */
  public LabeledData client(int c) {
    return train.subset(parts[c]);
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
