package org.fedledger.learning.simulation;

import java.nio.file.Path;
import java.util.Optional;
import org.fedledger.learning.aggregate.Strategies;
import org.fedledger.learning.attack.Attack;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.privacy.DpPlan;
import org.fedledger.learning.train.LearningRateSchedule;
import org.fedledger.learning.train.TrainConfig;

/**
 * Everything a simulation depends on. Same configuration, same seed: same partition, same client
 * selection, same malicious clients, same initial model.
 *
 * @param clients number of simulated clients (data owners)
 * @param rounds number of federated rounds
 * @param fraction fraction of clients selected each round, in (0, 1]
 * @param partition how data is split over clients: iid, dirichlet:ALPHA or shards:K
 * @param model model preset: logreg, mlp or cnn
 * @param strategy aggregation strategy spec (see {@link Strategies})
 * @param localEpochs epochs each selected client trains per round
 * @param batchSize local mini-batch size
 * @param learningRate local SGD learning rate (of the first round, with a schedule)
 * @param maliciousFraction fraction of clients that are malicious, in [0, 1]
 * @param attack what malicious clients do (see {@link Attack#parse(String)})
 * @param dataDir directory with the dataset files, or empty for the data embedded in the build;
 *     with a schema, the user's own data (a CSV file, an image folder or an IDX folder)
 * @param seed seed for partition, selection, attacks, initial weights and training
 * @param trainLimit use at most this many training samples (0: all), for quick runs
 * @param testLimit evaluate on at most this many test samples (0: all)
 * @param threads threads for aggregation (results do not depend on it)
 * @param leaveOneOut score contributions by leave-one-out on a validation sample of the test set
 *     ({@link org.fedledger.learning.score.LeaveOneOutScorer}, one extra aggregation and evaluation
 *     per client) instead of by cosine similarity
 * @param schema the dataset schema of the user's own data in {@code dataDir}; empty for
 *     Fashion-MNIST. With a schema, {@code model} is a preset fitted to it or a JSON model spec
 * @param privacy DP-SGD for every owner, or empty to train without differential privacy
 * @param learningRateSchedule how the local learning rate changes over the rounds (see {@link
 *     LearningRateSchedule}); {@code constant} keeps {@code learningRate} throughout
 * @param proxMu FedProx μ of every owner's local training (see {@link TrainConfig#proxMu()}); 0 is
 *     plain FedAvg local training
 */
public record SimulationConfig(
    int clients,
    int rounds,
    double fraction,
    String partition,
    String model,
    String strategy,
    int localEpochs,
    int batchSize,
    double learningRate,
    double maliciousFraction,
    String attack,
    Optional<Path> dataDir,
    long seed,
    int trainLimit,
    int testLimit,
    int threads,
    boolean leaveOneOut,
    Optional<DatasetSchema> schema,
    Optional<DpPlan> privacy,
    String learningRateSchedule,
    double proxMu) {

  public SimulationConfig {
    positive("clients", clients);
    positive("rounds", rounds);
    positive("local epochs", localEpochs);
    positive("batch size", batchSize);
    positive("threads", threads);
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException(
          "fraction of clients per round must be in (0, 1], got " + fraction);
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
    }
    if (!(maliciousFraction >= 0 && maliciousFraction <= 1)) {
      throw new IllegalArgumentException(
          "malicious fraction must be in [0, 1], got " + maliciousFraction);
    }
    if (trainLimit < 0 || testLimit < 0) {
      throw new IllegalArgumentException("sample limits must be >= 0 (0 means all)");
    }
    if (partition == null || partition.isBlank()) {
      throw new IllegalArgumentException("a partition is required, e.g. iid or dirichlet:0.5");
    }
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("a model is required: logreg, mlp or cnn");
    }
    // Fail on a bad name now rather than after loading data.
    privacy = privacy == null ? Optional.empty() : privacy;
    Strategies.check(strategy, privacy.isPresent());
    Attack.parse(attack);
    learningRateSchedule = LearningRateSchedule.parse(learningRateSchedule).toString();
    if (!(proxMu >= 0) || Double.isInfinite(proxMu)) {
      throw new IllegalArgumentException("FedProx mu must be zero or positive, got " + proxMu);
    }
    dataDir = dataDir == null ? Optional.empty() : dataDir;
    schema = schema == null ? Optional.empty() : schema;
    if (schema.isPresent() && dataDir.isEmpty()) {
      throw new IllegalArgumentException("a dataset schema needs the data it describes");
    }
  }

  private static void positive(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be at least 1, got " + value);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Defaults suit a quick FashionMNIST run; set what differs. */
  public static final class Builder {
    private int clients = 10;
    private int rounds = 10;
    private double fraction = 1.0;
    private String partition = "iid";
    private String model = "mlp";
    private String strategy = "fedavg";
    private int localEpochs = 1;
    private int batchSize = 32;
    private double learningRate = 0.05;
    private double maliciousFraction = 0;
    private String attack = "none";
    private Optional<Path> dataDir = Optional.empty();
    private long seed = 42;
    private int trainLimit = 0;
    private int testLimit = 0;
    private int threads = Runtime.getRuntime().availableProcessors();
    private boolean leaveOneOut = false;
    private Optional<DatasetSchema> schema = Optional.empty();
    private Optional<DpPlan> privacy = Optional.empty();
    private String learningRateSchedule = "constant";
    private double proxMu = 0;

    public Builder clients(int v) {
      clients = v;
      return this;
    }

    public Builder rounds(int v) {
      rounds = v;
      return this;
    }

    public Builder fraction(double v) {
      fraction = v;
      return this;
    }

    public Builder partition(String v) {
      partition = v;
      return this;
    }

    public Builder model(String v) {
      model = v;
      return this;
    }

    public Builder strategy(String v) {
      strategy = v;
      return this;
    }

    public Builder localEpochs(int v) {
      localEpochs = v;
      return this;
    }

    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    public Builder learningRate(double v) {
      learningRate = v;
      return this;
    }

    public Builder maliciousFraction(double v) {
      maliciousFraction = v;
      return this;
    }

    public Builder attack(String v) {
      attack = v;
      return this;
    }

    public Builder dataDir(Optional<Path> v) {
      dataDir = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder trainLimit(int v) {
      trainLimit = v;
      return this;
    }

    public Builder testLimit(int v) {
      testLimit = v;
      return this;
    }

    public Builder threads(int v) {
      threads = v;
      return this;
    }

    public Builder leaveOneOut(boolean v) {
      leaveOneOut = v;
      return this;
    }

    /** The schema of the user's own data in {@link #dataDir}. */
    public Builder schema(Optional<DatasetSchema> v) {
      schema = v;
      return this;
    }

    /** Train every owner with DP-SGD as planned (see {@link DpPlan#resolve}). */
    public Builder privacy(Optional<DpPlan> v) {
      privacy = v;
      return this;
    }

    /** How the local learning rate changes over the rounds ({@link LearningRateSchedule}). */
    public Builder learningRateSchedule(String v) {
      learningRateSchedule = v;
      return this;
    }

    /** FedProx μ of every owner's local training (0: plain FedAvg). */
    public Builder proxMu(double v) {
      proxMu = v;
      return this;
    }

    public SimulationConfig build() {
      return new SimulationConfig(
          clients,
          rounds,
          fraction,
          partition,
          model,
          strategy,
          localEpochs,
          batchSize,
          learningRate,
          maliciousFraction,
          attack,
          dataDir,
          seed,
          trainLimit,
          testLimit,
          threads,
          leaveOneOut,
          schema,
          privacy,
          learningRateSchedule,
          proxMu);
    }
  }
}
