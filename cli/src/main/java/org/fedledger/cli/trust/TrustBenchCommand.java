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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.io.FileTrees;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.Round;
import org.fedledger.learning.aggregate.Strategies;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.Models;
import org.fedledger.learning.simulation.FederatedData;
import org.fedledger.learning.simulation.RoundResult;
import org.fedledger.learning.simulation.SimulationConfig;
import org.fedledger.learning.simulation.SimulationListener;
import org.fedledger.learning.simulation.SimulationRunner;
import org.fedledger.learning.simulation.SimulationSummary;
import org.fedledger.learning.train.LocalTrainer;
import org.fedledger.learning.train.OptimizerKind;
import org.fedledger.learning.train.TrainConfig;
import org.fedledger.node.agent.JobOptions;
import org.fedledger.node.agent.LocalTrainingNetwork;
import org.fedledger.node.agent.TrainingState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedledger bench trust}: the price of trust. Runs one job (model, rounds, owners, seed,
 * strategy, every owner selected every round, no attacker) on the demo's in-process chain (three
 * validators over loopback Raft and RocksDB, participant and validator agents, blob servers) and
 * the same configuration with learning's SimulationRunner, and compares time and final weights.
 *
 * <p>Both runs train on the same data ({@link FederatedData#of}: owner i holds simulation client
 * i's partition), with the same seeds (the job's seed on chain; owner i is member i of the job, so
 * it trains round r with the simulation's seed for client i) and combine updates in the same order
 * (member order on chain, client order in simulation): the final weights must be bit-identical.
 *
 * <p>What is timed: on the chain, job creation to completion (job created, owners joined, every
 * round trained, aggregated, verified and finalized); in simulation, the federation run on the same
 * prepared data. Data loading, the network's start and a warm-up of the training engine are outside
 * both. Each timed run is preceded by a shorter warm-up run of the same kind ({@code
 * --warmup-rounds}; the chain's registers the owners' datasets), so that both are measured with
 * compiled code, as a long-running node is: in a fresh JVM the JIT compilers spend seconds of CPU
 * on the chain's code (Ratis, gRPC, RocksDB, protobuf) during the first rounds, competing with the
 * owners' training. The owners train at once, each on its own thread, and the simulation trains its
 * clients on one worker per processor: both use every core, so the difference is the chain's own
 * work: consensus, blob transfers, verification.
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
  static final String PARTITION = "dirichlet:0.5";
  static final int TEST_SAMPLES = 500;

  /** Deadlines far enough away never to cut a round short: nobody fails in this benchmark. */
  static final long DEADLINE_BLOCKS = 1_000_000;

  static final Duration DEADLINE_TICK = Duration.ofSeconds(1);

  static final String DIFFERENCES =
      "the final weights differ although both runs share the data partitions, the seeds and the"
          + " aggregation order: compare the per-round accuracies and report it as a bug";

  @Spec CommandSpec spec;

  @Option(names = "--json", required = true, description = "Write the result as JSON here.")
  Path json;

  @Option(names = "--rounds", defaultValue = "5", description = "Rounds (default: 5).")
  int rounds;

  @Option(
      names = "--participants",
      defaultValue = "4",
      description = "Data owners, all selected every round (default: 4).")
  int participants;

  @Option(names = "--model", defaultValue = "cnn", description = "cnn (default), mlp or logreg.")
  String model;

  @Option(
      names = "--strategy",
      defaultValue = "fedavg",
      description = "Aggregation strategy, e.g. fedavg (default), fedavgm, fedadam.")
  String strategy;

  @Option(names = "--seed", defaultValue = "1", description = "Seed (default: 1).")
  long seed;

  @Option(
      names = "--samples-per-owner",
      defaultValue = "2000",
      description = "Training samples per owner on average (default: 2000).")
  int samplesPerOwner;

  @Option(
      names = "--attest-quorum",
      defaultValue = "0",
      description =
          "Matching attestations that finalize a round (default: 0 = a majority of the"
              + " validators, i.e. both verifiers).")
  int attestQuorum;

  @Option(
      names = "--warmup-rounds",
      defaultValue = "2",
      description =
          "Rounds of the untimed warm-up job run before each timed run, on the chain and in"
              + " simulation (default: 2; 0 measures a cold JVM).")
  int warmupRounds;

  @Option(
      names = "--dir",
      description = "Chain data directory, kept afterwards (default: a temporary one, deleted).")
  Path dir;

  /** Where the temporary chain directory goes; null for the system's temporary directory. */
  Path temporaryParent;

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
    if (warmupRounds < 0 || warmupRounds > 10) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--warmup-rounds must be 0-10");
    }
    if (attestQuorum < 0 || attestQuorum > VALIDATORS - 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--attest-quorum must be 0-" + (VALIDATORS - 1));
    }
    try {
      Strategies.parse(strategy);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter err = spec.commandLine().getErr();
    SimulationConfig config = simulationConfig(rounds);
    FederatedData data = FederatedData.of(config, Datasets.fashionMnist(Optional.empty()));
    warmUp(data);

    err.printf(
        "chain run: %d validators, %d owners (%d samples), %d rounds, %s, %s%n",
        VALIDATORS, participants, data.train().size(), rounds, model, strategy);
    err.flush();
    ChainRun chain = chain(config, data);
    err.printf(Locale.ROOT, "chain: %.1f s, weights %s%n", chain.seconds, chain.hash);
    err.flush();
    double simWarmupSeconds = 0;
    if (warmupRounds > 0) {
      long warmupStart = System.nanoTime();
      new SimulationRunner(simulationConfig(warmupRounds)).run(data, SimulationListener.NONE);
      simWarmupSeconds = (System.nanoTime() - warmupStart) / 1e9;
      err.printf(
          Locale.ROOT, "simulation warm-up: %d rounds, %.1f s%n", warmupRounds, simWarmupSeconds);
      err.flush();
    }
    long start = System.nanoTime();
    SimulationSummary sim = new SimulationRunner(config).run(data, SimulationListener.NONE);
    double simSeconds = (System.nanoTime() - start) / 1e9;
    err.printf(Locale.ROOT, "simulation: %.1f s, weights %s%n", simSeconds, sim.finalWeightsHash());
    err.flush();

    boolean same = chain.hash.equals(sim.finalWeightsHash());
    List<Double> simRounds = new ArrayList<>();
    for (RoundResult r : sim.rounds()) {
      simRounds.add(round3(r.seconds()));
    }
    TrustBenchResult result =
        new TrustBenchResult(
            round3(chain.seconds),
            round3(simSeconds),
            round3(chain.seconds / simSeconds),
            same,
            chain.hash,
            sim.finalWeightsHash(),
            rounds,
            participants,
            model,
            strategy,
            seed,
            samplesPerOwner,
            data.train().size(),
            round3(chain.setupSeconds),
            chain.roundSeconds,
            simRounds,
            chain.accuracy,
            round6(sim.finalAccuracy()),
            warmupRounds,
            round3(chain.warmupSeconds),
            round3(simWarmupSeconds),
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
            "chain %.1f s, simulation %.1f s, ratio %.3f, same weights: %s; written to %s%n",
            chain.seconds,
            simSeconds,
            result.ratio(),
            same,
            json);
    spec.commandLine().getOut().flush();
    return 0;
  }

  SimulationConfig simulationConfig(int simRounds) {
    return SimulationConfig.builder()
        .clients(participants)
        .rounds(simRounds)
        .fraction(1.0)
        .partition(PARTITION)
        .model(model)
        .strategy(strategy)
        .seed(seed)
        .trainLimit(participants * samplesPerOwner)
        .testLimit(TEST_SAMPLES)
        .threads(1)
        .build();
  }

  /** The simulation's local training, for the chain's owners. */
  static TrainConfig trainConfig(SimulationConfig c) {
    return new TrainConfig(
        c.localEpochs(), c.batchSize(), OptimizerKind.SGD, (float) c.learningRate(), 0f);
  }

  /**
   * Loads the engine and lets the JIT see the training and evaluation paths before either run is
   * timed, so that neither pays for starting up.
   */
  private void warmUp(FederatedData data) {
    var s = ModelSpecs.preset(model);
    try (LocalTrainer t = LocalTrainer.create(s)) {
      var w = Models.initialWeights(s, seed);
      var sample = data.client(0).range(0, Math.min(256, data.client(0).size()));
      t.train(w, sample, TrainConfig.defaults(), 0);
      t.evaluate(w, sample);
    }
  }

  /**
   * @param roundSeconds seconds from the job's start (round 1) or the previous round's finalization
   *     to this round's
   * @param accuracy the last round's accuracy as the aggregator recorded it on chain
   * @param warmupSeconds the untimed warm-up job's seconds, setup included (0 without one)
   */
  private record ChainRun(
      double seconds,
      double setupSeconds,
      List<Double> roundSeconds,
      String hash,
      Double accuracy,
      double warmupSeconds) {}

  private ChainRun chain(SimulationConfig config, FederatedData data) throws Exception {
    if (dir != null) {
      return chain(config, data, Files.createDirectories(dir));
    }
    Path temporary =
        temporaryParent != null
            ? Files.createTempDirectory(temporaryParent, "fedledger-trust")
            : Files.createTempDirectory("fedledger-trust");
    try {
      return chain(config, data, temporary);
    } finally {
      FileTrees.delete(temporary);
    }
  }

  private ChainRun chain(SimulationConfig config, FederatedData data, Path root) throws Exception {
    List<LocalTrainingNetwork.Owner> owners = new ArrayList<>();
    for (int i = 0; i < participants; i++) {
      owners.add(new LocalTrainingNetwork.Owner("p" + (i + 1), data.client(i), null));
    }
    JobOptions options = jobOptions(rounds);
    try (LocalTrainingNetwork net =
        LocalTrainingNetwork.start(
            root, VALIDATORS, owners, seed, data.test(), null, trainConfig(config))) {
      // The job's deadlines are never reached: a tick a second (a deployment's pace) instead of
      // the tests' seven, each a block for three validators to apply and seven agents to read.
      net.tickDeadlinesEvery(DEADLINE_TICK);
      Semaphore blocks = new Semaphore(0);
      net.node().addBlockListener(b -> blocks.release());
      double warmupSeconds = 0;
      if (warmupRounds > 0) {
        long warmupStart = System.nanoTime();
        Hash warmup = net.createAndStartJob(jobOptions(warmupRounds));
        follow(net, warmup, blocks, System.nanoTime(), new ArrayList<>(), Duration.ofMinutes(60));
        warmupSeconds = (System.nanoTime() - warmupStart) / 1e9;
        PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "chain warm-up: %d rounds, %.1f s%n", warmupRounds, warmupSeconds);
        err.flush();
      }
      long start = System.nanoTime();
      Hash jobId = net.createAndStartJob(options);
      long started = System.nanoTime();
      List<Double> roundSeconds = new ArrayList<>();
      Job job = follow(net, jobId, blocks, started, roundSeconds, Duration.ofMinutes(60));
      long end = System.nanoTime();
      Round last =
          new TrainingState(net.ledger()).round(jobId, job.getCurrentRound()).orElseThrow();
      Double accuracy = null;
      for (Metric m : last.getCommit().getMetricsList()) {
        if (m.getName().equals("accuracy_ppm")) {
          accuracy = m.getValue() / 1e6;
        }
      }
      return new ChainRun(
          (end - start) / 1e9,
          (started - start) / 1e9,
          roundSeconds,
          HexFormat.of().formatHex(last.getCommit().getAggregateHash().toByteArray()),
          accuracy,
          warmupSeconds);
    }
  }

  /** The benchmark's job: every owner every round, deadlines never reached. */
  private JobOptions jobOptions(int jobRounds) {
    return JobOptions.builder()
        .setModel(ModelSpecs.preset(model))
        .setRounds(jobRounds)
        .setParticipantsPerRound(participants)
        .setStrategy(strategy)
        .optMinUpdates(participants)
        .optReward(1_000_000)
        .optStake(10_000)
        .optRoundBlocks(DEADLINE_BLOCKS)
        .optCommitBlocks(DEADLINE_BLOCKS)
        .optAttestQuorum(attestQuorum)
        .build();
  }

  /**
   * Waits, block by block, for the job to complete, noting when each round finalized (seconds since
   * the previous one, or since started for round 1).
   */
  static Job follow(
      LocalTrainingNetwork net,
      Hash jobId,
      Semaphore blocks,
      long started,
      List<Double> roundSeconds,
      Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long mark = started;
    while (true) {
      blocks.drainPermits();
      Job job = new TrainingState(net.ledger()).job(jobId).orElseThrow();
      long done =
          job.getStatus() == JobStatus.JOB_COMPLETED
              ? job.getCurrentRound()
              : job.getCurrentRound() - 1;
      long now = System.nanoTime();
      while (roundSeconds.size() < done) {
        roundSeconds.add(round3((now - mark) / 1e9));
        mark = now;
      }
      if (job.getStatus() == JobStatus.JOB_COMPLETED) {
        return job;
      }
      if (job.getStatus() == JobStatus.JOB_CANCELLED) {
        throw new IllegalStateException("job " + jobId.toHex() + " was cancelled");
      }
      if (now > deadline) {
        throw new IllegalStateException(
            "job "
                + jobId.toHex()
                + " did not complete in "
                + timeout.toMinutes()
                + " min; it is at round "
                + job.getCurrentRound());
      }
      // Woken by the next committed block; the timeout only guards against a missed signal.
      blocks.tryAcquire(1, TimeUnit.SECONDS);
    }
  }

  private static double round3(double x) {
    return Math.round(x * 1000) / 1000.0;
  }

  private static double round6(double x) {
    return Math.round(x * 1e6) / 1e6;
  }
}
