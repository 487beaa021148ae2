package org.fedledger.cli.dataset;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedledger.learning.data.DataSplit;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.partition.Partitioner;
import org.fedledger.node.agent.OwnerData;
import org.fedledger.node.config.DataDirectory;
import org.fedledger.node.config.NetworkInitializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedledger dataset split}: gives each of N data owners a local dataset of its own, for
 * trying a network out on one machine. Fashion-MNIST's training part (or a seeded sample of it) is
 * partitioned among the owners and written as one IDX directory per owner ({@link DataDirectory}),
 * plus the test part for the validators to score aggregates on; node configurations and {@code
 * dataset register --data} point at these directories.
 */
@Command(
    name = "split",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Split Fashion-MNIST among data owners: OUT/owner-K/ (train-images-idx3-ubyte,"
          + " train-labels-idx1-ubyte) for each owner K, and OUT/test/ (t10k-*) with the test part.",
      "The same options give the same files on every machine.",
      "",
      "Example:",
      "  fedledger dataset split --owners 3 --partition dirichlet:0.5 --samples 900 --out net3/data"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:written", "1:failed", "2:invalid options"})
public final class DatasetSplitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--owners", required = true, description = "Data owners, 1-1000.")
  int owners;

  @Option(
      names = "--partition",
      defaultValue = "dirichlet:0.5",
      description = "iid, dirichlet:ALPHA or shards:K (default: ${DEFAULT-VALUE}).")
  String partition;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the sample and the partition (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--samples",
      defaultValue = "0",
      description = "Training samples to share out, a seeded sample; 0 for all (default: 0).")
  int samples;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Fashion-MNIST IDX directory (the four files from zalandoresearch/fashion-mnist);"
              + " default: the embedded data, 8,000 training and 2,000 test images.")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write.")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (owners < 1 || owners > 1000) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--owners must be 1-1000");
    }
    if (samples < 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--samples must not be negative");
    }
    Partitioner partitioner;
    try {
      partitioner = Partitioner.parse(partition);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--partition: " + e.getMessage());
    }
    List<Path> targets = new ArrayList<>();
    for (int k = 0; k < owners; k++) {
      targets.add(out.resolve(NetworkInitializer.ownerName(k)));
    }
    Path test = out.resolve(NetworkInitializer.TEST_DATA);
    List<Path> all = new ArrayList<>(targets);
    all.add(test);
    for (Path t : all) {
      if (Files.exists(t)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), t + " already exists; give another --out (nothing was written)");
      }
    }
    DataSplit split = data == null ? Datasets.embeddedFashionMnist() : Datasets.fromDirectory(data);
    LabeledData train = OwnerData.sample(split.train(), samples, seed);
    if (train.size() < owners) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          owners + " owners need at least one sample each; there are " + train.size());
    }
    int[][] parts = partitioner.partition(train.labels(), train.classCount(), owners, seed);
    PrintWriter stdout = spec.commandLine().getOut();
    for (int k = 0; k < owners; k++) {
      LabeledData part = train.subset(parts[k]);
      DataDirectory.write(targets.get(k), DataDirectory.Part.TRAIN, part);
      stdout.printf(
          "%s: %d samples, per class %s%n",
          targets.get(k), part.size(), Arrays.toString(part.classCounts()));
    }
    DataDirectory.write(test, DataDirectory.Part.TEST, split.test());
    stdout.printf("%s: %d test samples%n", test, split.test().size());
    stdout.flush();
    return 0;
  }
}
