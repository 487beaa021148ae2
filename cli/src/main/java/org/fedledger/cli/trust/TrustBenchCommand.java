package org.fedledger.cli.trust;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.learning.data.DataSplit;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.simulation.SimulationConfig;
import org.fedledger.learning.simulation.SimulationListener;
import org.fedledger.learning.simulation.SimulationRunner;
import org.fedledger.learning.simulation.SimulationSummary;
import org.fedledger.learning.train.TrainConfig;
import org.fedledger.node.agent.JobOptions;
import org.fedledger.node.agent.LocalTrainingNetwork;
import org.fedledger.node.agent.OwnerData;
import org.fedledger.node.agent.TrainingState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedledger bench trust}: the price of trust. Runs one job (model, rounds, owners, seed,
 * FedAvg, every owner selected every round, no attacker) on the demo's in-process chain (three
 * validators over loopback Raft and RocksDB, participant and validator agents, blob servers) and
 * the same configuration with learning's SimulationRunner, and compares time and final weights.
 *
 * <p>The final weights are not expected to be equal: see {@link #DIFFERENCES}.
 */
@Command(
    name = "trust",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run the same job on a local three-validator chain with agents and in simulation;"
          + " write the time of each, their ratio and whether the final weights match.",
      "",
      "Example:",
      "  fedledger bench trust --json trust.json --rounds 3 --participants 4"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:measured", "1:a run failed", "2:invalid options"})
public final class TrustBenchCommand implements Callable<Integer> {
  static final int VALIDATORS = 3;

  /** Why the two runs' weights differ, as found by reading both code paths. */
  static final String DIFFERENCES =
      "chain and simulation differ in (1) the owners' data: the chain samples with"
          + " OwnerData.dirichlet(train, P, P*N, 0.5, seed), the simulation with its own"
          + " Seeds.derive(seed,1,0) sample and partitioner seed; (2) local-training seeds:"
          + " participant agents use seed*100+i then *1000003+round*31, the simulation"
          + " Seeds.derive(seed, round, client); (3) aggregation order: the chain sums updates"
          + " in on-chain submission order, the simulation in selection order, and float sums"
          + " depend on order. Initial weights (Models.initialWeights(spec, seed)), strategy,"
          + " selection (all owners) and training config are the same.";

  @Spec CommandSpec spec;

  @Option(names = "--json", required = true, description = "Write the result as JSON here.")
  Path json;

  @Option(names = "--rounds", defaultValue = "3", description = "Rounds (default: 3).")
  int rounds;

  @Option(
      names = "--participants",
      defaultValue = "4",
      description = "Data owners, all selected every round (default: 4).")
  int participants;

  @Option(names = "--model", defaultValue = "logreg", description = "mlp, cnn or logreg.")
  String model;

  @Option(names = "--seed", defaultValue = "1", description = "Seed (default: 1).")
  long seed;

  @Option(
      names = "--samples-per-owner",
      defaultValue = "400",
      description = "Training samples per owner (default: 400).")
  int samplesPerOwner;

  @Option(names = "--dir", description = "Chain data directory (default: a temporary one).")
  Path dir;

  @Override
  public Integer call() throws Exception {
    if (rounds < 1 || rounds > 100) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--rounds must be 1-100");
    }
    if (participants < 1 || participants > 20) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--participants must be 1-20");
    }
    if (!ModelSpecs.PRESETS.contains(model)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--model must be one of " + ModelSpecs.PRESETS);
    }
    if (samplesPerOwner < 10) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--samples-per-owner must be at least 10");
    }
    PrintWriter err = spec.commandLine().getErr();
    err.printf(
        "chain run: %d validators, %d owners, %d rounds, %s%n",
        VALIDATORS, participants, rounds, model);
    err.flush();
    Run chain = chain();
    err.printf(Locale.ROOT, "chain: %.1f s, weights %s%n", chain.seconds, chain.hash);
    err.flush();
    Run sim = simulate();
    err.printf(Locale.ROOT, "simulation: %.1f s, weights %s%n", sim.seconds, sim.hash);
    err.flush();
    boolean same = chain.hash.equals(sim.hash);
    TrustBenchResult result =
        new TrustBenchResult(
            chain.seconds,
            sim.seconds,
            chain.seconds / sim.seconds,
            same,
            chain.hash,
            sim.hash,
            rounds,
            participants,
            model,
            "fedavg",
            seed,
            same ? "" : DIFFERENCES);
    Path parent = json.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    new ObjectMapper()
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(json.toFile(), result);
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "chain %.1f s, simulation %.1f s, ratio %.1f, same weights: %s; written to %s%n",
            chain.seconds,
            sim.seconds,
            result.ratio(),
            same,
            json);
    spec.commandLine().getOut().flush();
    return 0;
  }

  private record Run(double seconds, String hash) {}

  private Run chain() throws Exception {
    Path root = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("trust");
    DataSplit split = Datasets.fashionMnist(Optional.empty());
    LabeledData[] parts =
        OwnerData.dirichlet(split.train(), participants, participants * samplesPerOwner, 0.5, seed);
    List<LocalTrainingNetwork.Owner> owners = new ArrayList<>();
    for (int i = 0; i < participants; i++) {
      owners.add(new LocalTrainingNetwork.Owner("p" + (i + 1), parts[i], null));
    }
    JobOptions options =
        new JobOptions(
            ModelSpecs.preset(model),
            rounds,
            participants,
            "fedavg",
            participants,
            1_000_000,
            10_000,
            300,
            300,
            1);
    try (LocalTrainingNetwork net =
        LocalTrainingNetwork.start(
            root, VALIDATORS, owners, seed, null, null, TrainConfig.defaults())) {
      long start = System.nanoTime();
      Hash jobId = net.createAndStartJob(options);
      Job job = awaitCompleted(net, jobId, Duration.ofMinutes(30));
      double seconds = (System.nanoTime() - start) / 1e9;
      var last = new TrainingState(net.ledger()).round(jobId, job.getCurrentRound()).orElseThrow();
      return new Run(
          seconds, HexFormat.of().formatHex(last.getCommit().getAggregateHash().toByteArray()));
    }
  }

  static Job awaitCompleted(LocalTrainingNetwork net, Hash jobId, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Job job = new TrainingState(net.ledger()).job(jobId).orElseThrow();
      if (job.getStatus() == JobStatus.JOB_COMPLETED) {
        return job;
      }
      if (job.getStatus() == JobStatus.JOB_CANCELLED) {
        throw new IllegalStateException("job " + jobId.toHex() + " was cancelled");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "job "
                + jobId.toHex()
                + " did not complete in "
                + timeout.toMinutes()
                + " min; it is at round "
                + job.getCurrentRound());
      }
      Thread.sleep(100);
    }
  }

  private Run simulate() {
    SimulationConfig config =
        SimulationConfig.builder()
            .clients(participants)
            .rounds(rounds)
            .fraction(1.0)
            .partition("dirichlet:0.5")
            .model(model)
            .strategy("fedavg")
            .seed(seed)
            .trainLimit(participants * samplesPerOwner)
            .testLimit(500)
            .threads(1)
            .build();
    long start = System.nanoTime();
    SimulationSummary s = new SimulationRunner(config).run(new SimulationListener() {});
    return new Run((System.nanoTime() - start) / 1e9, s.finalWeightsHash());
  }
}
