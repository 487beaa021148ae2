package org.fedledger.bench.learning;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.fedledger.learning.data.DataSplit;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.data.LocalSplit;
import org.fedledger.learning.metrics.RegressionMetrics;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.Models;
import org.fedledger.learning.simulation.FederatedData;
import org.fedledger.learning.simulation.OwnData;
import org.fedledger.learning.simulation.SimulationConfig;
import org.fedledger.learning.simulation.SimulationListener;
import org.fedledger.learning.simulation.SimulationRunner;
import org.fedledger.learning.simulation.SimulationSummary;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.learning.train.Evaluation;
import org.fedledger.learning.train.LearningRateSchedule;
import org.fedledger.learning.train.LocalTrainer;
import org.fedledger.learning.train.TrainConfig;

/**
 * Federated against central, on public tables and images: for each data set and partition, a
 * federation of {@code --clients} owners (FedAvg, {@code --rounds} rounds of {@code
 * --local-epochs}) against the same model, initial weights and standardization trained centrally on
 * the pooled training data for as many epochs as a client trains in all; for a regression also
 * against closed-form ridge and least squares ({@link RidgeRegression}) on the same standardized
 * features. The test set is a seeded fifth of each table ({@link OwnData#TEST_FRACTION}), or
 * Fashion-MNIST's own test split. Prints one JSON object per line, with the load average before and
 * after, since the machine may be shared.
 *
 * <p>The federation uses the options {@code fedledger simulate} offers: {@code --strategy} (e.g.
 * fedavgm), {@code --lr-schedule} and {@code --prox-mu}. The central run keeps plain SGD but
 * follows the same learning-rate schedule, epoch by epoch as the rounds go, so that both see the
 * same rates. With several {@code --seeds} (each draws its own test split of a table, partition,
 * initial weights and shuffles) a last line per partition gives the mean over the seeds of both.
 *
 * <p>The tables are scikit-learn's (Debian's python3-sklearn, read where it installs them); see
 * {@link SklearnTables}.
 */
public final class FederatedVsCentral {
  private static final String USAGE =
      "FederatedVsCentral [--datasets iris,wine,breast_cancer,diabetes,fashion-mnist]"
          + " [--partitions iid,dirichlet:0.5] [--clients 5] [--rounds 30] [--local-epochs 1]"
          + " [--batch 16] [--lr 0.05] [--lr-schedule constant] [--strategy fedavg]"
          + " [--prox-mu 0] [--model logreg] [--seeds 42] [--ridge 1.0]"
          + " [--sklearn DIR] [--fmnist-train 12000] [--fmnist-test 2000]";
  private static final ObjectMapper JSON = new ObjectMapper();

  private FederatedVsCentral() {}

  public static void main(String[] argv) throws Exception {
    Args.run(USAGE, () -> run(argv));
  }

  private static void run(String[] argv) throws Exception {
    Args args =
        new Args(
            argv,
            List.of(
                "datasets",
                "partitions",
                "clients",
                "rounds",
                "local-epochs",
                "batch",
                "lr",
                "lr-schedule",
                "strategy",
                "prox-mu",
                "model",
                "seeds",
                "ridge",
                "sklearn",
                "fmnist-train",
                "fmnist-test"));
    List<String> datasets =
        List.of(
            args.get("datasets", "iris,wine,breast_cancer,diabetes,fashion-mnist").split(",", -1));
    List<String> partitions = List.of(args.get("partitions", "iid,dirichlet:0.5").split(",", -1));
    Path sklearn = Path.of(args.get("sklearn", SklearnTables.DEBIAN_DIR));
    List<Long> seeds = seeds(args.get("seeds", "42"));
    for (String name : datasets) {
      Optional<SklearnTables> table =
          name.equals("fashion-mnist")
              ? Optional.empty()
              : Optional.of(SklearnTables.load(sklearn, name));
      Map<String, SeedMeans> means = new TreeMap<>();
      for (long seed : seeds) {
        // The seed draws the test split too, so every seed is a fresh held-out set for both runs.
        DataSplit split =
            table.isPresent()
                ? LocalSplit.split(table.get().data(), OwnData.TEST_FRACTION, seed)
                : Datasets.fashionMnist(Optional.empty());
        ObjectNode central = null;
        for (String partition : partitions) {
          SimulationConfig config = config(args, partition, seed, table, sklearn);
          double load = load();
          FederatedData data = FederatedData.of(config, split);
          long start = System.nanoTime();
          SimulationSummary federated =
              new SimulationRunner(config).run(data, SimulationListener.NONE);
          double federatedSeconds = (System.nanoTime() - start) / 1e9;
          if (central == null) {
            central = central(config, data, args.getDouble("ridge", 1.0));
          }
          ObjectNode line = JSON.createObjectNode();
          line.put("dataset", name);
          line.put("partition", partition);
          line.put("model", SimulationRunner.spec(config).toString());
          line.put("clients", config.clients());
          line.put("rounds", config.rounds());
          line.put("local_epochs", config.localEpochs());
          line.put("batch", config.batchSize());
          line.put("lr", config.learningRate());
          line.put("lr_schedule", config.learningRateSchedule());
          line.put("strategy", config.strategy());
          line.put("prox_mu", config.proxMu());
          line.put("seed", seed);
          line.put("train_samples", data.train().size());
          line.put("test_samples", data.test().size());
          line.set("federated", metrics(federated.finalMetrics()));
          line.put("federated_seconds", federatedSeconds);
          line.set("central", central);
          line.put("load_average_before", load);
          line.put("load_average_after", load());
          System.out.println(JSON.writeValueAsString(line));
          means
              .computeIfAbsent(partition, p -> new SeedMeans())
              .add(federated.finalMetrics(), central.get("same_model"));
        }
      }
      if (seeds.size() > 1) {
        for (Map.Entry<String, SeedMeans> e : means.entrySet()) {
          ObjectNode line = JSON.createObjectNode();
          line.put("dataset", name);
          line.put("partition", e.getKey());
          line.put("seeds", seeds.toString());
          line.set("mean_over_seeds", e.getValue().toJson());
          System.out.println(JSON.writeValueAsString(line));
        }
      }
    }
  }

  private static SimulationConfig config(
      Args args, String partition, long seed, Optional<SklearnTables> table, Path sklearn) {
    SimulationConfig.Builder builder =
        SimulationConfig.builder()
            .clients(args.getInt("clients", 5))
            .rounds(args.getInt("rounds", 30))
            .partition(partition)
            .model(args.get("model", "logreg"))
            .strategy(args.get("strategy", "fedavg"))
            .localEpochs(args.getInt("local-epochs", 1))
            .batchSize(args.getInt("batch", 16))
            .learningRate(args.getDouble("lr", 0.05))
            .learningRateSchedule(args.get("lr-schedule", "constant"))
            .proxMu(args.getDouble("prox-mu", 0))
            .seed(seed)
            .threads(1);
    if (table.isPresent()) {
      // The schema makes the simulation standardize with the owners' combined statistics.
      builder.dataDir(Optional.of(sklearn)).schema(Optional.of(table.get().schema()));
    } else {
      builder
          .trainLimit(args.getInt("fmnist-train", 12_000))
          .testLimit(args.getInt("fmnist-test", 2_000));
    }
    return builder.build();
  }

  private static List<Long> seeds(String text) {
    List<Long> seeds = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      try {
        seeds.add(Long.parseLong(part.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--seeds takes comma-separated integers, e.g. 42,43,44; got '" + text + "'", e);
      }
    }
    return seeds;
  }

  /** The same model trained on the pooled (already standardized) data, and ridge for regression. */
  private static ObjectNode central(SimulationConfig config, FederatedData data, double lambda) {
    ModelSpec spec = SimulationRunner.spec(config);
    Weights weights = Models.initialWeights(spec, config.seed());
    TrainConfig train = TrainConfig.defaults().withBatchSize(config.batchSize());
    LearningRateSchedule schedule = LearningRateSchedule.parse(config.learningRateSchedule());
    int epochs = config.rounds() * config.localEpochs();
    ObjectNode out = JSON.createObjectNode();
    try (LocalTrainer trainer = LocalTrainer.create(spec)) {
      for (int epoch = 1; epoch <= epochs; epoch++) {
        // The rate of the round this epoch's data volume belongs to, as the owners train with.
        int round = (epoch - 1) / config.localEpochs() + 1;
        float rate = schedule.rate(config.learningRate(), round, config.rounds());
        weights =
            trainer
                .train(
                    weights,
                    data.train(),
                    train.withLearningRate(rate),
                    config.seed() * 1000 + epoch)
                .weights();
      }
      Evaluation e = trainer.evaluate(weights, data.test());
      out.put("epochs", epochs);
      out.set("same_model", metrics(e.metrics().asMap()));
    }
    if (spec.isRegression()) {
      out.set("ridge", ridge(data, spec.outputs(), lambda));
      out.set("least_squares", ridge(data, spec.outputs(), 0));
    }
    return out;
  }

  private static ObjectNode ridge(FederatedData data, int outputs, double lambda) {
    LabeledData train = data.train();
    LabeledData test = data.test();
    RidgeRegression fit =
        RidgeRegression.fit(
            train.features(), train.featureLength(), train.targets(), outputs, lambda);
    ObjectNode o =
        metrics(
            RegressionMetrics.of(test.targets(), fit.predict(test.features()), outputs).asMap());
    o.put("lambda", lambda);
    return o;
  }

  private static ObjectNode metrics(Map<String, Double> values) {
    ObjectNode o = JSON.createObjectNode();
    values.forEach(o::put);
    return o;
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
