package org.fedledger.learning.simulation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedledger.learning.aggregate.AggregationInput;
import org.fedledger.learning.aggregate.AggregationResult;
import org.fedledger.learning.aggregate.ClientUpdate;
import org.fedledger.learning.aggregate.EmptyRoundException;
import org.fedledger.learning.aggregate.FractionSelector;
import org.fedledger.learning.aggregate.Parallel;
import org.fedledger.learning.aggregate.ServerState;
import org.fedledger.learning.aggregate.Strategies;
import org.fedledger.learning.aggregate.StrategyAggregator;
import org.fedledger.learning.attack.Attack;
import org.fedledger.learning.attack.MaliciousClients;
import org.fedledger.learning.client.ClientSeeds;
import org.fedledger.learning.client.ClientStep;
import org.fedledger.learning.client.LocalUpdate;
import org.fedledger.learning.data.DataSplit;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.io.WeightsHash;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.Models;
import org.fedledger.learning.partition.Partitioner;
import org.fedledger.learning.privacy.DpConfig;
import org.fedledger.learning.privacy.DpResolution;
import org.fedledger.learning.privacy.DpStrategies;
import org.fedledger.learning.score.ContributionScores;
import org.fedledger.learning.score.CosineScorer;
import org.fedledger.learning.score.Evaluator;
import org.fedledger.learning.score.LeaveOneOutScorer;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.learning.train.Evaluation;
import org.fedledger.learning.train.LearningRateSchedule;
import org.fedledger.learning.train.OptimizerKind;
import org.fedledger.learning.train.TrainConfig;

/**
 * Runs a {@link SimulationConfig}: loads and partitions the data, then for each round selects
 * clients ({@link FractionSelector}), runs each selected client's {@link ClientStep} from the
 * global weights on a pool of workers, one trainer each ({@link TrainerPool}; malicious clients
 * poison their labels or deltas), aggregates the deltas in the selection's order, and evaluates the
 * new global model on the test set, in parallel chunks. The result is the same for any number of
 * workers.
 *
 * <p>Memory: the training data is held once and clients are index views of it; only the current
 * round's deltas are held, so a thousand clients with a small model fit in the default heap.
 */
public final class SimulationRunner {
  /** Test samples used as the validation set of leave-one-out scoring. */
  static final int VALIDATION_SAMPLES = 1000;

  private final SimulationConfig config;
  private final int workers;

  /** A runner with one worker per processor. */
  public SimulationRunner(SimulationConfig config) {
    this(config, Runtime.getRuntime().availableProcessors());
  }

  /**
   * @param workers clients trained at the same time, each by its own trainer on one PyTorch thread
   *     (results do not depend on it)
   */
  public SimulationRunner(SimulationConfig config, int workers) {
    validate(config);
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    this.config = config;
    this.workers = workers;
  }

  /**
   * Checks the names that only the learning module knows (model preset, partitioner), so that a
   * command line can reject them before any data is loaded.
   */
  public static void validate(SimulationConfig config) {
    spec(config);
    Partitioner.parse(config.partition());
    if (config.trainLimit() > 0 && config.trainLimit() < config.clients()) {
      throw new IllegalArgumentException(
          "train limit "
              + config.trainLimit()
              + " leaves fewer samples than the "
              + config.clients()
              + " clients; every client needs at least one");
    }
  }

  /** The run's DP-SGD parameters and ε, resolved against the clients' mean data size. */
  public static Optional<DpResolution> privacy(SimulationConfig config, FederatedData data) {
    if (config.privacy().isEmpty()) {
      return Optional.empty();
    }
    double meanClientSize = (double) data.train().size() / config.clients();
    return Optional.of(
        config
            .privacy()
            .get()
            .resolve(config.batchSize(), meanClientSize, config.localEpochs(), config.rounds()));
  }

  /**
   * The model the configuration names: a preset or a JSON spec, fitted to (or checked against) the
   * user's dataset schema when there is one, else a Fashion-MNIST preset.
   */
  public static ModelSpec spec(SimulationConfig config) {
    return config
        .schema()
        .map(schema -> ModelSpecs.parse(config.model(), schema))
        .orElseGet(() -> ModelSpecs.parse(config.model()));
  }

  /**
   * Loads the configured data set, builds the clients' data ({@link FederatedData#of}) and runs.
   */
  public SimulationSummary run(SimulationListener listener) {
    return run(listener, null);
  }

  /**
   * As {@link #run(SimulationListener)}, saving a {@link SimulationCheckpoint} in checkpointDir
   * after every round, and first continuing from the checkpoint already there, if any (its rounds
   * are replayed to the listener). The result is identical to an uninterrupted run.
   *
   * @param checkpointDir null for no checkpoints
   */
  public SimulationSummary run(SimulationListener listener, Path checkpointDir) {
    long start = System.nanoTime();
    return run(load(config), listener, start, checkpointDir);
  }

  /**
   * The configured data set split among the clients ({@link FederatedData#of}): what {@link
   * #run(SimulationListener, Path)} loads first, for a caller that checks it (e.g. that the DP plan
   * can be met, {@link #privacy}) before running.
   *
   * @throws UncheckedIOException if the data cannot be read
   */
  public static FederatedData load(SimulationConfig config) {
    DataSplit split;
    try {
      split =
          config.schema().isPresent()
              ? OwnData.load(config.dataDir().orElseThrow(), config.schema().get(), config.seed())
              : Datasets.fashionMnist(config.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the dataset: " + e.getMessage(), e);
    }
    return FederatedData.of(config, split);
  }

  /** As {@link #run(SimulationListener, Path)}, on data already {@link #load loaded}. */
  public SimulationSummary run(
      FederatedData data, SimulationListener listener, Path checkpointDir) {
    return run(data, listener, System.nanoTime(), checkpointDir);
  }

  /**
   * Runs on data already built for this configuration ({@link FederatedData#of} with the same
   * configuration), e.g. to time the federation alone or to give the same data to another run.
   */
  public SimulationSummary run(FederatedData data, SimulationListener listener) {
    return run(data, listener, System.nanoTime(), null);
  }

  private SimulationSummary run(
      FederatedData data, SimulationListener listener, long start, Path checkpointDir) {
    Optional<SimulationCheckpoint> resumed =
        checkpointDir == null ? Optional.empty() : SimulationCheckpoint.load(checkpointDir, config);
    if (data.clients() != config.clients()) {
      throw new IllegalArgumentException(
          "the data is split among "
              + data.clients()
              + " clients but the configuration has "
              + config.clients());
    }
    long seed = config.seed();
    ModelSpec spec = spec(config);
    Attack attack = Attack.parse(config.attack());
    LabeledData train = data.train();
    LabeledData test = data.test();
    int[] malicious = MaliciousClients.choose(config.clients(), config.maliciousFraction(), seed);
    boolean[] isMalicious = new boolean[config.clients()];
    for (int m : malicious) {
      isMalicious[m] = true;
    }
    List<String> ids = new ArrayList<>(config.clients());
    for (int c = 0; c < config.clients(); c++) {
      ids.add(clientId(c));
    }
    FractionSelector selector = new FractionSelector(config.fraction(), 1, seed);
    TrainConfig trainConfig =
        new TrainConfig(
            config.localEpochs(),
            config.batchSize(),
            OptimizerKind.SGD,
            (float) config.learningRate(),
            (float) config.proxMu());
    LearningRateSchedule schedule = LearningRateSchedule.parse(config.learningRateSchedule());
    Optional<DpResolution> privacy = privacy(config, data);
    DpConfig dp = privacy.map(DpResolution::config).orElse(null);
    // The DP envelope takes the first round's rate: a schedule only lowers it, so the bound holds.
    StrategyAggregator aggregator =
        Strategies.parse(
            config.strategy(),
            new Parallel(config.threads()),
            privacy.map(p -> DpStrategies.envelope(p.config(), trainConfig.learningRate())));
    CosineScorer scorer = new CosineScorer(new Parallel(config.threads()));
    LabeledData validation =
        FederatedData.sample(test, VALIDATION_SAMPLES, Seeds.derive(seed, 3, 0));
    listener.started(config, train.size(), test.size());
    privacy.ifPresent(listener::privacy);

    Weights global =
        resumed
            .map(SimulationCheckpoint::global)
            .orElseGet(() -> Models.initialWeights(spec, seed));
    ServerState state = resumed.map(SimulationCheckpoint::state).orElse(ServerState.EMPTY);
    List<RoundResult> results = new ArrayList<>(config.rounds());
    double earlierSeconds = resumed.map(SimulationCheckpoint::seconds).orElse(0.0);
    double initialAccuracy;
    double initialLoss;
    // The model's test accuracy and loss as it stands: a resumed run takes them from its last
    // round's result instead of evaluating the checkpoint's weights again.
    double accuracy;
    double loss;
    Map<String, Double> metrics = Map.of();
    try (TrainerPool pool = new TrainerPool(spec, workers)) {
      if (resumed.isPresent()) {
        initialAccuracy = resumed.get().initialAccuracy();
        initialLoss = resumed.get().initialLoss();
        listener.initial(initialAccuracy, initialLoss);
        accuracy = initialAccuracy;
        loss = initialLoss;
        for (RoundResult r : resumed.get().rounds()) {
          results.add(r);
          listener.roundFinished(r);
          accuracy = r.accuracy();
          loss = r.loss();
          metrics = r.metrics();
        }
      } else {
        Evaluation initial = pool.evaluate(global, test);
        initialAccuracy = initial.accuracy();
        initialLoss = initial.loss();
        listener.initial(initialAccuracy, initialLoss);
        accuracy = initialAccuracy;
        loss = initialLoss;
        metrics = initial.metrics().asMap();
      }
      for (int round = results.size() + 1; round <= config.rounds(); round++) {
        long roundStart = System.nanoTime();
        List<String> selected = selector.select(ids, round);
        TrainConfig roundConfig =
            trainConfig.withLearningRate(
                schedule.rate(config.learningRate(), round, config.rounds()));
        ClientStep honestStep =
            ClientStep.builder().setTrainConfig(roundConfig).optPrivacy(dp).build();
        ClientStep maliciousStep =
            ClientStep.builder()
                .setTrainConfig(roundConfig)
                .optAttack(attack)
                .optPrivacy(dp)
                .build();
        Weights from = global;
        long r = round;
        List<LocalUpdate> trained =
            pool.run(
                largestFirst(selected, data),
                (trainer, i) -> {
                  int c = clientIndex(selected.get(i));
                  ClientStep step = isMalicious[c] ? maliciousStep : honestStep;
                  return step.run(trainer, from, data.client(c), new ClientSeeds(seed, r, c));
                });
        // Summed in the selection's order, whatever order the workers finished in.
        List<ClientUpdate> updates = new ArrayList<>(selected.size());
        int maliciousSelected = 0;
        double lossSum = 0;
        long samples = 0;
        for (int i = 0; i < selected.size(); i++) {
          LocalUpdate u = trained.get(i);
          if (isMalicious[clientIndex(selected.get(i))]) {
            maliciousSelected++;
          }
          lossSum += u.meanLoss() * u.sampleCount();
          samples += u.sampleCount();
          updates.add(new ClientUpdate(selected.get(i), u.sampleCount(), u.delta()));
        }
        int accepted;
        int rejected;
        int excluded;
        long maliciousPpm = 0;
        try {
          AggregationInput input = new AggregationInput(global, updates, state);
          AggregationResult result = aggregator.aggregate(input);
          global = result.newGlobal();
          state = result.state();
          accepted = result.accepted().size();
          rejected = result.rejected().size();
          excluded = result.excluded().size();
          ContributionScores scores;
          if (config.leaveOneOut()) {
            // Higher is better: negative validation loss is smoother than accuracy.
            Evaluator value = w -> -pool.evaluate(w, validation).loss();
            scores = new LeaveOneOutScorer(aggregator, value).score(input);
          } else {
            scores = scorer.score(updates, result);
          }
          for (int m : malicious) {
            maliciousPpm += scores.ppm(clientId(m));
          }
        } catch (EmptyRoundException e) {
          // Every update was invalid (e.g. training diverged to NaN): the model stays as it was.
          accepted = 0;
          rejected = e.rejected().size();
          excluded = 0;
        }
        updates.clear();
        Evaluation evaluation = pool.evaluate(global, test);
        accuracy = evaluation.accuracy();
        loss = evaluation.loss();
        metrics = evaluation.metrics().asMap();
        RoundResult result =
            new RoundResult(
                round,
                accuracy,
                loss,
                (System.nanoTime() - roundStart) / 1e9,
                selected.size(),
                accepted,
                rejected,
                excluded,
                maliciousSelected,
                samples == 0 ? Double.NaN : lossSum / samples,
                maliciousPpm,
                metrics);
        results.add(result);
        if (checkpointDir != null) {
          new SimulationCheckpoint(
                  SimulationCheckpoint.keyOf(config),
                  round,
                  initialAccuracy,
                  initialLoss,
                  earlierSeconds + (System.nanoTime() - start) / 1e9,
                  results,
                  global,
                  state)
              .save(checkpointDir);
        }
        listener.roundFinished(result);
      }
    }
    List<Integer> maliciousList = new ArrayList<>(malicious.length);
    for (int m : malicious) {
      maliciousList.add(m);
    }
    return new SimulationSummary(
        config,
        initialAccuracy,
        results,
        accuracy,
        loss,
        earlierSeconds + (System.nanoTime() - start) / 1e9,
        maliciousList,
        WeightsHash.of(global).toHex(),
        metrics);
  }

  /**
   * The order in which to start the selected clients' training: most samples first, so that the
   * longest jobs do not start last and leave the other workers idle at the end of the round. Ties
   * keep the selection's order.
   */
  private static int[] largestFirst(List<String> selected, FederatedData data) {
    Integer[] order = new Integer[selected.size()];
    int[] sizes = new int[selected.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
      sizes[i] = data.client(clientIndex(selected.get(i))).size();
    }
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> -sizes[i]));
    int[] out = new int[order.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = order[i];
    }
    return out;
  }

  /** Client ids sort in index order, so client-id order is client order. */
  static String clientId(int index) {
    return String.format("client-%05d", index);
  }

  private static int clientIndex(String id) {
    return Integer.parseInt(id.substring("client-".length()));
  }
}
