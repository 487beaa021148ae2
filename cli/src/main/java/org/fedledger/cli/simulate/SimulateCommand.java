package org.fedledger.cli.simulate;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fedledger.learning.data.SchemaInference;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.schema.DatasetSchemaJson;
import org.fedledger.learning.data.schema.Task;
import org.fedledger.learning.privacy.DpDefaults;
import org.fedledger.learning.privacy.DpPlan;
import org.fedledger.learning.privacy.DpResolution;
import org.fedledger.learning.privacy.DpStrategies;
import org.fedledger.learning.simulation.FederatedData;
import org.fedledger.learning.simulation.RoundResult;
import org.fedledger.learning.simulation.SimulationCheckpoint;
import org.fedledger.learning.simulation.SimulationConfig;
import org.fedledger.learning.simulation.SimulationListener;
import org.fedledger.learning.simulation.SimulationRunner;
import org.fedledger.learning.simulation.SimulationSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedledger simulate}: federated training of one model over many simulated clients in this
 * process. Writes {@code rounds.csv} and {@code accuracy.png} to {@code --out} and the JSON summary
 * to {@code --json} (default {@code OUT/summary.json}). Exit codes: 0 done, 1 the run failed, 2 bad
 * options.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Simulate federated learning: partition a dataset over clients, train, attack, aggregate.",
      "",
      "Example:",
      "  fedledger simulate --clients 100 --rounds 20 --fraction 0.1 --partition dirichlet:0.5 \\",
      "      --model mlp --strategy multi-krum:5 --malicious 0.2 --attack sign-flip --out sim",
      "",
      "On your own table (a schema is inferred, or give one with --schema):",
      "  fedledger simulate --data patients.csv --label outcome --clients 5 --rounds 20 \\",
      "      --model logreg --partition dirichlet:0.5",
      "",
      "With differential privacy (DP-SGD at every owner, σ derived for ε = 3 at δ = 1e-5; C,"
          + " the DP batch, rate and schedule follow from --batch and --lr unless given):",
      "  fedledger simulate --clients 10 --rounds 20 --dp-epsilon 3 --dp-delta 1e-5"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:the simulation failed", "2:invalid options"})
public final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--clients", required = true, description = "number of simulated clients")
  int clients;

  @Option(names = "--rounds", required = true, description = "number of federated rounds")
  int rounds;

  @Option(
      names = "--fraction",
      defaultValue = "1.0",
      description = "fraction of clients selected per round, in (0, 1] (default: ${DEFAULT-VALUE})")
  double fraction;

  @Option(
      names = "--partition",
      defaultValue = "iid",
      description = "iid, dirichlet:ALPHA or shards:K (default: ${DEFAULT-VALUE})")
  String partition;

  @Option(
      names = "--model",
      defaultValue = "mlp",
      paramLabel = "PRESET|FILE",
      description =
          "a preset (logreg or linear, mlp, mlp:64,32, cnn, cnn:128), fitted to the data's"
              + " schema, or a JSON model spec file (default: ${DEFAULT-VALUE})")
  String model;

  @Option(
      names = "--strategy",
      defaultValue = "fedavg",
      description =
          "fedavg, fedavgm, fedadam, median, trimmed-mean:B, krum[:F], multi-krum:M[:F],"
              + " optionally +clip:C; with DP also dp-bounded[:P], dp-evidence[:P] (default:"
              + " ${DEFAULT-VALUE})")
  String strategy;

  @Option(
      names = "--local-epochs",
      defaultValue = "1",
      description = "local epochs per round (default: ${DEFAULT-VALUE})")
  int localEpochs;

  @Option(
      names = "--batch",
      defaultValue = "32",
      description =
          "local batch size; with DP, --dp-batch derives from it (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(
      names = "--lr",
      defaultValue = "0.05",
      description =
          "local learning rate; with DP, --dp-lr derives from it (default: ${DEFAULT-VALUE})")
  double lr;

  @Option(
      names = "--lr-schedule",
      description =
          "how --lr changes over the rounds: constant, exp:G (times G each round) or cosine[:F]"
              + " (down to F times --lr in the last round); with DP, how DP-SGD's rate changes,"
              + " as job create's --lr-schedule (default: constant; with DP, "
              + DpDefaults.SCHEDULE
              + ")")
  String lrSchedule;

  @Option(
      names = "--prox-mu",
      defaultValue = "0",
      description =
          "FedProx: each owner's loss adds mu/2 times the squared distance from the global"
              + " weights; 0 is plain FedAvg (default: ${DEFAULT-VALUE})")
  double proxMu;

  @Option(
      names = "--malicious",
      defaultValue = "0",
      description = "fraction of malicious clients, in [0, 1] (default: ${DEFAULT-VALUE})")
  double malicious;

  @Option(
      names = "--attack",
      defaultValue = "sign-flip",
      description =
          "what malicious clients do: label-flip, sign-flip[:S], scale:S, noise:SIGMA, none"
              + " (default: ${DEFAULT-VALUE})")
  String attack;

  @Option(
      names = "--data",
      paramLabel = "FILE|DIR",
      description =
          "your data: a CSV file (with --label), a folder of class sub-folders of images, or an IDX"
              + " folder; a Fashion-MNIST directory as before (default: the Fashion-MNIST sample"
              + " embedded in fedledger)")
  Path data;

  @Option(
      names = "--label",
      paramLabel = "COLUMN[,COLUMN...]",
      description = "the CSV's label column (several for a regression with several outputs)")
  String label;

  @Option(
      names = "--task",
      paramLabel = "TASK",
      description = "classification or regression (default: inferred from the label column)")
  String task;

  @Option(
      names = "--schema",
      paramLabel = "FILE",
      description =
          "the dataset schema of --data (from 'fedledger dataset schema'); default: inferred")
  Path schema;

  @Option(names = "--seed", defaultValue = "42", description = "seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--train-limit",
      defaultValue = "0",
      description = "use at most this many training samples, 0 for all (default: ${DEFAULT-VALUE})")
  int trainLimit;

  @Option(
      names = "--test-limit",
      defaultValue = "0",
      description =
          "evaluate on at most this many test samples, 0 for all (default: ${DEFAULT-VALUE})")
  int testLimit;

  @Option(
      names = "--threads",
      description = "aggregation threads (default: processors; results do not depend on it)")
  Integer threads;

  @Option(
      names = "--workers",
      description =
          "clients trained at the same time, each on one PyTorch thread (default: processors;"
              + " results do not depend on it)")
  Integer workers;

  @Option(
      names = "--scoring",
      defaultValue = "cosine",
      description =
          "contribution scores: cosine (deterministic, from the updates) or loo (leave-one-out on"
              + " a validation sample; slower) (default: ${DEFAULT-VALUE})")
  String scoring;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "simulation",
      description = "directory for rounds.csv and accuracy.png (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "JSON summary file (default: OUT/summary.json)")
  Path json;

  @Option(
      names = "--checkpoint",
      paramLabel = "DIR",
      description =
          "save a checkpoint here after every round; if DIR already holds one for this"
              + " configuration, continue from it (same result as an uninterrupted run)")
  Path checkpoint;

  @Option(names = "--quiet", description = "no progress on stderr")
  boolean quiet;

  @Mixin DpOptions dp = new DpOptions();

  @Override
  public Integer call() throws IOException {
    SimulationConfig config;
    try {
      config = config();
      workers();
      if (checkpoint != null) {
        // Refuses, before any work, a checkpoint this run cannot continue.
        SimulationCheckpoint.load(checkpoint, config);
      }
    } catch (IllegalArgumentException e) {
      return usageError(e);
    }
    FederatedData data = SimulationRunner.load(config);
    try {
      // The DP plan can be checked only now: the sampling rate follows from the clients' data
      // sizes. An ε no noise reaches is a bad option like any other, not a failed run.
      SimulationRunner.privacy(config, data);
    } catch (IllegalArgumentException e) {
      return usageError(e);
    }
    if (config.privacy().isPresent()) {
      // Allowed here, to measure it (bench privacy does); job create refuses it.
      DpStrategies.problem(strategy)
          .ifPresent(p -> spec.commandLine().getErr().println("warning: " + p));
    }
    Files.createDirectories(out);
    Path jsonFile = json != null ? json : out.resolve("summary.json");
    if (jsonFile.toAbsolutePath().getParent() != null) {
      Files.createDirectories(jsonFile.toAbsolutePath().getParent());
    }
    Path csv = out.resolve("rounds.csv");
    Path png = out.resolve("accuracy.png");
    SimulationSummary summary;
    try (Progress progress = new Progress(spec.commandLine().getErr(), rounds, quiet);
        RoundCsv roundCsv = RoundCsv.create(csv, MetricColumns.of(SimulationRunner.spec(config)))) {
      SimulationListener listener = both(progress, roundCsv);
      listener = both(listener, printPrivacy(spec.commandLine().getOut(), config));
      summary = new SimulationRunner(config, workers()).run(data, listener, checkpoint);
    }
    AccuracyPlot.write(png, summary);
    SummaryJson.write(jsonFile, summary);
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf(
        Locale.ROOT,
        "final %s after %d rounds (%.1f s)%nwrote %s, %s, %s%n",
        MetricColumns.describe(summary.finalMetrics()),
        summary.rounds().size(),
        summary.seconds(),
        csv,
        png,
        jsonFile);
    stdout.flush();
    return 0;
  }

  // Values picocli cannot check itself (ranges, strategy and attack names, a DP plan) are still
  // command-line errors: exit code 2, like picocli's own, whoever the parent command is.
  private int usageError(IllegalArgumentException e) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("error: " + e.getMessage());
    err.println("Try 'fedledger simulate --help' for the options.");
    err.flush();
    return 2;
  }

  /** A listener that forwards every callback to first, then to second. */
  private static SimulationListener both(SimulationListener first, SimulationListener second) {
    return new SimulationListener() {
      @Override
      public void started(SimulationConfig config, int trainSamples, int testSamples) {
        first.started(config, trainSamples, testSamples);
        second.started(config, trainSamples, testSamples);
      }

      @Override
      public void initial(double accuracy, double loss) {
        first.initial(accuracy, loss);
        second.initial(accuracy, loss);
      }

      @Override
      public void roundFinished(RoundResult result) {
        first.roundFinished(result);
        second.roundFinished(result);
      }

      @Override
      public void privacy(DpResolution resolution) {
        first.privacy(resolution);
        second.privacy(resolution);
      }
    };
  }

  /**
   * Says, before the first round, what DP-SGD runs with and the ε it gives, and the rate, batch and
   * schedule it trains at: with DP those come from --dp-lr, --dp-batch and --dp-lr-schedule, else
   * from DpDefaults' rule on --lr and --batch, so a --lr meant for DP-SGD itself shows here.
   */
  private static SimulationListener printPrivacy(PrintWriter out, SimulationConfig config) {
    return new SimulationListener() {
      @Override
      public void privacy(DpResolution resolution) {
        out.println("privacy: " + resolution.describe());
        out.printf(
            Locale.ROOT,
            "DP-SGD trains at learning rate %s (%s), expected batch %d"
                + " (--dp-lr, --dp-lr-schedule, --dp-batch to change)%n",
            config.learningRate(),
            config.learningRateSchedule(),
            config.batchSize());
        out.flush();
      }
    };
  }

  /** The number of workers, or IllegalArgumentException if it is below one. */
  int workers() {
    if (workers == null) {
      return Runtime.getRuntime().availableProcessors();
    }
    if (workers < 1) {
      throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
    }
    return workers;
  }

  /** The validated configuration, or IllegalArgumentException saying which value is wrong. */
  SimulationConfig config() {
    if (!scoring.equals("cosine") && !scoring.equals("loo")) {
      throw new IllegalArgumentException(
          "unknown --scoring '" + scoring + "'; use cosine or loo (leave-one-out)");
    }
    Optional<DatasetSchema> ownSchema = ownSchema();
    Optional<DpPlan> privacy = dp.plan();
    // With DP, the owners train with DP-SGD's own batch, rate and schedule (DpDefaults unless
    // given), derived from the plain ones.
    boolean dpRun = privacy.isPresent();
    SimulationConfig config =
        SimulationConfig.builder()
            .clients(clients)
            .rounds(rounds)
            .fraction(fraction)
            .partition(partition)
            .model(modelText())
            .strategy(strategy)
            .localEpochs(localEpochs)
            .batchSize(dpRun ? dp.batchSize(batch) : batch)
            .learningRate(dpRun ? dp.learningRate(lr) : lr)
            .learningRateSchedule(
                dpRun ? dp.schedule(lrSchedule) : lrSchedule == null ? "constant" : lrSchedule)
            .proxMu(proxMu)
            .maliciousFraction(malicious)
            .attack(attack)
            .dataDir(Optional.ofNullable(data))
            .seed(seed)
            .trainLimit(trainLimit)
            .testLimit(testLimit)
            .threads(threads == null ? Runtime.getRuntime().availableProcessors() : threads)
            .leaveOneOut(scoring.equals("loo"))
            .schema(ownSchema)
            .privacy(privacy)
            .build();
    SimulationRunner.validate(config);
    return config;
  }

  /** The --model preset, or the content of the JSON spec file it names. */
  private String modelText() {
    Path file = Path.of(model);
    if (!Files.isRegularFile(file)) {
      return model;
    }
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the model spec " + file + ": " + e, e);
    }
  }

  /**
   * The schema of the user's own data: --schema, or one inferred from --data and --label; empty for
   * Fashion-MNIST (no --data, or a directory of its IDX files).
   */
  private Optional<DatasetSchema> ownSchema() {
    if (data == null) {
      if (label != null || task != null || schema != null) {
        throw new IllegalArgumentException("--label, --task and --schema describe --data; add it");
      }
      return Optional.empty();
    }
    if (!Files.exists(data)) {
      throw new IllegalArgumentException("--data " + data + " does not exist");
    }
    try {
      if (schema != null) {
        if (task != null) {
          throw new IllegalArgumentException(
              "--task comes from the schema when --schema is given; drop --task");
        }
        return Optional.of(DatasetSchemaJson.read(schema));
      }
      boolean fashionMnist =
          Files.isDirectory(data)
              && label == null
              && task == null
              && (Files.exists(data.resolve("train-images-idx3-ubyte"))
                  || Files.exists(data.resolve("train-images-idx3-ubyte.gz")));
      if (fashionMnist) {
        return Optional.empty();
      }
      if (!Files.isDirectory(data) && label == null) {
        throw new IllegalArgumentException(
            "--data " + data + " is a file: name its label column with --label COLUMN");
      }
      List<String> columns = label == null ? List.of() : List.of(label.split(",", -1));
      Optional<Task> named = task == null ? Optional.empty() : Optional.of(Task.parse(task));
      return Optional.of(SchemaInference.infer(data, columns, named));
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
