package org.fedledger.bench.learning;

import java.nio.file.Path;
import java.util.Arrays;
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
import org.fedledger.learning.train.LocalTrainer;
import org.fedledger.learning.train.TrainConfig;
import org.fedledger.learning.train.TrainResult;

/**
 * Local training throughput: for each model and batch size, one warm-up epoch over {@code --warmup}
 * samples, then {@code --repeats} timed epochs over the first {@code --samples} training samples
 * (SGD, learning rate 0.05, from the same initial weights). Prints samples/s of each repeat and
 * their median.
 */
public final class TrainThroughput {
  private static final String USAGE =
      "TrainThroughput [--models cnn,mlp] [--batches 32,64] [--samples 6000] [--warmup 2000]"
          + " [--repeats 3] [--data DIR]";

  private TrainThroughput() {}

  public static void main(String[] argv) throws Exception {
    Args.run(USAGE, () -> run(argv));
  }

  private static void run(String[] argv) throws Exception {
    Args args =
        new Args(argv, List.of("models", "batches", "samples", "warmup", "repeats", "data"));
    String[] models = args.get("models", "cnn,mlp").split(",", -1);
    int[] batches =
        Arrays.stream(args.get("batches", "32,64").split(",", -1))
            .mapToInt(Integer::parseInt)
            .toArray();
    int samples = args.getInt("samples", 6000);
    int warmup = args.getInt("warmup", 2000);
    int repeats = args.getInt("repeats", 3);
    String dir = args.get("data", null);
    DataSplit split = Datasets.fashionMnist(Optional.ofNullable(dir).map(Path::of));
    if (samples > split.train().size() || warmup > split.train().size() || repeats < 1) {
      throw new IllegalArgumentException(
          "--samples and --warmup must be at most " + split.train().size() + ", --repeats >= 1");
    }
    System.out.println("data: " + split.source());
    System.out.printf(
        Locale.ROOT,
        "torch threads: intra-op %s, inter-op %s (1 unless -Dai.djl.pytorch.num_threads=N)%n",
        System.getProperty("ai.djl.pytorch.num_threads", "1"),
        System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
    LabeledData timed = split.train().range(0, samples);
    LabeledData warm = split.train().range(0, warmup);
    for (String model : models) {
      ModelSpec spec = ModelSpecs.preset(model.trim());
      Weights initial = Models.initialWeights(spec, 1);
      try (LocalTrainer trainer = LocalTrainer.create(spec)) {
        for (int batch : batches) {
          TrainConfig config = TrainConfig.defaults().withBatchSize(batch);
          trainer.train(initial, warm, config, 7);
          double[] rates = new double[repeats];
          StringBuilder each = new StringBuilder();
          for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            TrainResult result = trainer.train(initial, timed, config, 100 + r);
            double seconds = (System.nanoTime() - start) / 1e9;
            rates[r] = result.sampleCount() / seconds;
            each.append(String.format(Locale.ROOT, " %.0f", rates[r]));
          }
          double[] sorted = rates.clone();
          Arrays.sort(sorted);
          System.out.printf(
              Locale.ROOT,
              "%s (%,d params) batch %d: median %.0f samples/s over %d x %,d samples; each:%s%n",
              model,
              Models.parameterCount(spec),
              batch,
              sorted[repeats / 2],
              repeats,
              samples,
              each);
        }
        LabeledData test = split.test().range(0, Math.min(samples, split.test().size()));
        trainer.evaluate(initial, test);
        long start = System.nanoTime();
        trainer.evaluate(initial, test);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "%s evaluation: %.0f samples/s over %,d test samples (after one warm-up pass)%n",
            model,
            test.size() / seconds,
            test.size());
      }
    }
  }
}
