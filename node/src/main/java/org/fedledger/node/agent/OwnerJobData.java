package org.fedledger.node.agent;

import java.util.Optional;
import org.fedledger.core.proto.training.Job;
import org.fedledger.learning.data.DataSplit;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.data.LocalSplit;
import org.fedledger.learning.data.stats.FeatureStatistics;
import org.fedledger.learning.data.stats.Standardization;
import org.fedledger.learning.simulation.Seeds;

/**
 * An owner's data as one job sees it: the part it trains on and its local test split (the seeded
 * fraction the job names in {@code test_fraction_ppm}, none if 0), both standardized once the job's
 * statistics step has given them a {@link Standardization}. The statistics the owner reports are
 * those of the part it trains on, raw.
 */
final class OwnerJobData {
  /** Tag of the local split's seed: {@code Seeds.derive(job seed, SPLIT_TAG, member index)}. */
  static final long SPLIT_TAG = -17;

  private final LabeledData train;
  private final LabeledData test;
  private final Standardization standardization;

  private OwnerJobData(LabeledData train, LabeledData test, Standardization standardization) {
    this.train = train;
    this.test = test;
    this.standardization = standardization;
  }

  /** The job's split of data for the member at memberIndex, not standardized. */
  static OwnerJobData of(Job job, LabeledData data, int memberIndex) {
    long ppm = job.getSpec().getTestFractionPpm();
    if (ppm == 0) {
      return new OwnerJobData(data, null, null);
    }
    long seed = Seeds.derive(job.getSpec().getSeed(), SPLIT_TAG, memberIndex);
    DataSplit split = LocalSplit.split(data, ppm / 1e6, seed);
    return new OwnerJobData(split.train(), split.test(), null);
  }

  /** The same split, standardized (training and test parts alike). */
  OwnerJobData standardized(Standardization s) {
    return new OwnerJobData(s.apply(train), test == null ? null : s.apply(test), s);
  }

  boolean isStandardized() {
    return standardization != null;
  }

  /** The feature statistics of the part this owner trains on (call before standardizing). */
  FeatureStatistics statistics() {
    return FeatureStatistics.of(train);
  }

  LabeledData train() {
    return train;
  }

  /** The local test split, if the job names one and it holds a sample. */
  Optional<LabeledData> test() {
    return test == null || test.size() == 0 ? Optional.empty() : Optional.of(test);
  }
}
