package org.fedledger.cli.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.fedledger.cli.local.LocalOwner;
import org.fedledger.core.proto.registry.RegisterDataset;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.train.TrainConfig;
import org.fedledger.node.agent.JobOptions;

/**
 * What a {@code fedledger demo --scenario} trains on and how: the owners and their data, the job,
 * and where a round's metrics come from. The network, the progress lines and the summary are the
 * same for every scenario ({@link DemoCommand}).
 */
interface DemoScenario {
  /** The scenario's name, as {@code --scenario} takes it. */
  String name();

  /** What the data is, for the first line: "Fashion-MNIST images", "patient tables". */
  String data();

  /**
   * The data owners, the last one malicious, their data drawn from seed and, for data kept in
   * files, written under root.
   */
  List<LocalOwner> owners(Path root, int participants, long seed) throws IOException;

  /** The central test set every node scores aggregates on, or null for none. */
  LabeledData evaluation(long seed) throws IOException;

  /** The job: its model, rounds, selection, strategy, reward and stake. */
  JobOptions job(List<LocalOwner> owners, int rounds);

  /** How every owner trains, written into the job. */
  TrainConfig training();

  /** The job's fields beyond {@link #job} (e.g. standardization, a local test split). */
  Consumer<CreateJob.Builder> jobFields();

  /** The datasets' fields beyond the commitment (e.g. a privacy budget); none by default. */
  default Consumer<RegisterDataset.Builder> datasetFields() {
    return dataset -> {};
  }

  /** Whether the datasets carry privacy budgets, for the summary to show them. */
  default boolean budgeted() {
    return false;
  }

  /** The model's name for the job line. */
  String modelName();

  /** Whether a round's metrics are the owners' evaluations on their local test splits. */
  boolean federatedMetrics();

  /** One owner's data in a few words, for its line. */
  String describe(LocalOwner owner);

  /**
   * Rows the demo's client asks the served model for at the end ({@link DemoServing}), or null if
   * the scenario does not serve its model.
   */
  default DemoServing.Sample servingSample(long seed, int count) throws IOException {
    return null;
  }
}
