package org.fedledger.bench.learning;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.fedledger.learning.data.DataSplit;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.Models;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.learning.train.Evaluation;
import org.fedledger.learning.train.LocalTrainer;
import org.fedledger.learning.train.TrainConfig;
import org.fedledger.learning.train.TrainResult;

/**
 * The ceiling for a federated run: the same model, initial weights (same seed) and local settings
 * (SGD, batch, learning rate) trained centrally on the pooled training data for {@code --epochs}
 * epochs, one epoch being the data volume of one federated round with one local epoch and every
 * client selected. Writes {@code epoch,loss,accuracy,seconds,train_loss} (the same columns as
 * {@code fedledger simulate}'s rounds.csv where they overlap) to {@code --out}, one line per epoch
 * as it finishes, so that a partial run leaves its figures behind. {@code --train-limit N} trains
 * on the first N images only (for a quick check of the command).
 */
public final class CentralBaseline {
  private static final String USAGE =
      "CentralBaseline [--model cnn] [--epochs 30] [--batch 32] [--lr 0.05] [--seed 42]"
          + " [--data DIR] [--out bench/target/central.csv] [--train-limit 0]";

  private CentralBaseline() {}

  public static void main(String[] argv) throws Exception {
    Args.run(USAGE, () -> run(argv));
  }

  private static void run(String[] argv) throws Exception {
    Args args =
        new Args(
            argv, List.of("model", "epochs", "batch", "lr", "seed", "data", "out", "train-limit"));
    ModelSpec spec = ModelSpecs.preset(args.get("model", "cnn"));
    int epochs = args.getInt("epochs", 30);
    long seed = args.getInt("seed", 42);
    TrainConfig config =
        TrainConfig.defaults()
            .withBatchSize(args.getInt("batch", 32))
            .withLearningRate((float) args.getDouble("lr", 0.05));
    String dir = args.get("data", null);
    Path out = Path.of(args.get("out", "bench/target/central.csv"));
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    DataSplit split = Datasets.fashionMnist(Optional.ofNullable(dir).map(Path::of));
    System.out.println("data: " + split.source());
    int limit = args.getInt("train-limit", 0);
    LabeledData train =
        limit > 0 && limit < split.train().size() ? split.train().range(0, limit) : split.train();
    Weights weights = Models.initialWeights(spec, seed);
    long start = System.nanoTime();
    try (LocalTrainer trainer = LocalTrainer.create(spec);
        PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
      csv.println("epoch,loss,accuracy,seconds,train_loss");
      Evaluation initial = trainer.evaluate(weights, split.test());
      System.out.printf(
          Locale.ROOT, "epoch 0: accuracy %.4f loss %.4f%n", initial.accuracy(), initial.loss());
      for (int epoch = 1; epoch <= epochs; epoch++) {
        long epochStart = System.nanoTime();
        // One epoch per call with its own shuffle seed, as every federated round has.
        TrainResult trained = trainer.train(weights, train, config, seed * 1000 + epoch);
        weights = trained.weights();
        Evaluation e = trainer.evaluate(weights, split.test());
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        csv.printf(
            Locale.ROOT,
            "%d,%.6f,%.6f,%.3f,%.6f%n",
            epoch,
            e.loss(),
            e.accuracy(),
            seconds,
            trained.meanLoss());
        csv.flush();
        System.out.printf(
            Locale.ROOT,
            "epoch %d/%d: accuracy %.4f loss %.4f train loss %.4f, %.1f s%n",
            epoch,
            epochs,
            e.accuracy(),
            e.loss(),
            trained.meanLoss(),
            seconds);
      }
    }
    System.out.printf(
        Locale.ROOT, "done in %.1f s; wrote %s%n", (System.nanoTime() - start) / 1e9, out);
  }
}
