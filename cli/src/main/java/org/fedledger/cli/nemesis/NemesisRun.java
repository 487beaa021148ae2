package org.fedledger.cli.nemesis;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fedledger.cli.nemesis.clock.FakeClock;
import org.fedledger.core.address.Address;
import org.fedledger.node.config.GenesisDocument;
import org.fedledger.node.keys.KeyFile;

/**
 * One nemesis run: a cluster under the transfer workload, faults drawn from the seeded schedule one
 * after another (inject, hold, heal, wait for recovery, a quiet gap), then everything healed, the
 * workload stopped, a quiet period, and the checker's verdict.
 */
public final class NemesisRun {
  private final Path dir;
  private final int nodes;
  private final Duration duration;
  private final long seed;
  private final Duration holdMin;
  private final Duration holdMax;
  private final Duration gap;
  private final Duration recoveryTimeout;
  private final int minimumFaults;
  private final List<FaultKind> kinds;
  private final PrintStream progress;
  private final boolean training;
  private final int basePort;

  private NemesisRun(Builder b) {
    this.dir = b.dir;
    this.nodes = b.nodes;
    this.duration = b.duration;
    this.seed = b.seed;
    this.holdMin = b.holdMin;
    this.holdMax = b.holdMax;
    this.gap = b.gap;
    this.recoveryTimeout = b.recoveryTimeout;
    this.minimumFaults = b.minimumFaults < 0 ? b.kinds.size() : b.minimumFaults;
    this.kinds = List.copyOf(b.kinds);
    this.progress = b.progress;
    this.training = b.training;
    this.basePort = b.basePort;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What to run: set* is required, opt* optional. */
  public static final class Builder {
    private Path dir;
    private int nodes;
    private Duration duration;
    private long seed;
    private boolean seedSet;
    private Duration holdMin = Duration.ofSeconds(3);
    private Duration holdMax = Duration.ofSeconds(8);
    private Duration gap = Duration.ofSeconds(2);
    private int basePort = NemesisCluster.DEFAULT_BASE_PORT;
    private Duration recoveryTimeout = Duration.ofSeconds(90);
    private int minimumFaults = -1;
    // A full disk is drawn only when asked for (--faults ...,disk), so that CI's bounded run (each
    // default kind once, two JVM restarts for a damaged file already) stays within its time.
    private final EnumSet<FaultKind> kinds =
        EnumSet.of(
            FaultKind.PARTITION,
            FaultKind.KILL,
            FaultKind.PAUSE,
            FaultKind.SLOW,
            FaultKind.CLOCK,
            FaultKind.DAMAGE);
    private boolean kindsChosen;
    private PrintStream progress = System.err;
    private boolean training = true;

    private Builder() {}

    /** Where the cluster's files, data and logs go (an empty or absent directory). */
    public Builder setDir(Path dir) {
      this.dir = dir;
      return this;
    }

    public Builder setNodes(int nodes) {
      this.nodes = nodes;
      return this;
    }

    /** How long faults are injected; the quiet period and the check come after. */
    public Builder setDuration(Duration duration) {
      this.duration = duration;
      return this;
    }

    /** The seed of the fault schedule and the workload. */
    public Builder setSeed(long seed) {
      this.seed = seed;
      this.seedSet = true;
      return this;
    }

    /**
     * The fault kinds to draw from; default partition, kill, pause, slow, clock (where libfaketime
     * is installed) and damage.
     */
    public Builder optKinds(java.util.Collection<FaultKind> kinds) {
      if (kinds.isEmpty()) {
        throw new IllegalArgumentException("--faults must name at least one fault kind");
      }
      this.kinds.clear();
      this.kinds.addAll(kinds);
      this.kindsChosen = true;
      return this;
    }

    /** How long each fault is held, drawn between min and max; default 3 to 8 s. */
    public Builder optHold(Duration min, Duration max) {
      if (min.isNegative() || max.compareTo(min) < 0) {
        throw new IllegalArgumentException("the hold range must be 0 <= min <= max");
      }
      this.holdMin = min;
      this.holdMax = max;
      return this;
    }

    /** The cluster's first port ({@link NemesisCluster.Setup#optBasePort}). */
    public Builder optBasePort(int basePort) {
      this.basePort = basePort;
      return this;
    }

    /** The pause after each recovery before the next fault; default 2 s. */
    public Builder optGap(Duration gap) {
      this.gap = gap;
      return this;
    }

    /** How long the cluster may take to commit again after a heal before it counts as a failure. */
    public Builder optRecoveryTimeout(Duration recoveryTimeout) {
      this.recoveryTimeout = recoveryTimeout;
      return this;
    }

    /**
     * Faults injected at least, even when the duration is over sooner; default: one of each kind.
     */
    public Builder optMinimumFaults(int minimumFaults) {
      this.minimumFaults = minimumFaults;
      return this;
    }

    /** Whether a small training job runs beside the transfers and must finish; default yes. */
    public Builder optTraining(boolean training) {
      this.training = training;
      return this;
    }

    /** Where the progress lines go; default stderr. */
    public Builder optProgress(PrintStream progress) {
      this.progress = progress;
      return this;
    }

    public NemesisRun build() {
      if (dir == null || nodes == 0 || duration == null || !seedSet) {
        throw new IllegalStateException("setDir, setNodes, setDuration and setSeed are required");
      }
      if (nodes != 3 && nodes != 5) {
        throw new IllegalArgumentException("--nodes must be 3 or 5, got " + nodes);
      }
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("--duration must be positive");
      }
      if (kinds.contains(FaultKind.CLOCK) && !FakeClock.available()) {
        if (kindsChosen) {
          throw new IllegalStateException(
              "clock faults need libfaketime, which is not installed here; install it (apt-get"
                  + " install libfaketime) or leave clock out of --faults");
        }
        kinds.remove(FaultKind.CLOCK);
        progress.println(
            "nemesis: no clock faults: libfaketime is not installed (apt-get install libfaketime)");
      }
      return new NemesisRun(this);
    }
  }

  /** Runs the nemesis and checks the outcome; the cluster is stopped afterwards. */
  public NemesisReport run() throws IOException, InterruptedException {
    Duration electionTimeout = Duration.ofSeconds(1);
    progress.printf(
        "nemesis: %d validators, %d s of faults (%s), seed %d, files in %s%n",
        nodes, duration.toSeconds(), kindLabels(), seed, dir);
    NemesisCluster.Setup setup =
        NemesisCluster.builder()
            .setDir(dir)
            .setNodes(nodes)
            .optBasePort(basePort)
            .optElectionTimeout(electionTimeout);
    if (training) {
      setup.optTraining(seed);
    }
    if (kinds.contains(FaultKind.CLOCK)) {
      setup.optFakeClocks();
    }
    try (NemesisCluster cluster = setup.start(Duration.ofMinutes(2))) {
      TrainingJob job = null;
      if (training) {
        job = TrainingJob.start(cluster);
        progress.printf(
            "training job %s started: logreg, 2 rounds, one owner per validator%n", job.id());
      }
      // The transfers move tokens among these accounts only, so their sum must stay what genesis
      // gave them; the admin and the owners pay and earn in the training job.
      List<Path> keyFiles = cluster.network().accountKeyFiles();
      History history = new History();
      List<String> violations = Collections.synchronizedList(new ArrayList<>());
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (FaultKind k : FaultKind.values()) {
        counts.put(k.label(), 0);
      }
      List<NemesisReport.Recovery> recoveries = new ArrayList<>();
      long started = System.nanoTime();
      try (TransferLoad load =
          TransferLoad.start(
              cluster.endpoints(),
              keyFiles,
              NemesisCluster.CHAIN_ID,
              history,
              violations::add,
              seed)) {
        Nemesis nemesis =
            new Nemesis(cluster, seed, kinds, 3 * electionTimeout.toMillis(), violations::add);
        TimeUnit.SECONDS.sleep(2);
        long end = started + duration.toNanos();
        int number = 0;
        while (System.nanoTime() < end || number < minimumFaults) {
          FaultKind kind = nemesis.next();
          long hold = nemesis.holdMillis(kind, holdMin.toMillis(), holdMax.toMillis());
          ActiveFault fault = nemesis.inject(kind);
          number++;
          counts.merge(kind.label(), 1, Integer::sum);
          progress.printf(
              "[%4d s] fault %d: %s, for %.1f s (%d acknowledged so far)%n",
              elapsed(started),
              number,
              fault.description(),
              hold / 1000.0,
              history.acknowledgedCount());
          TimeUnit.MILLISECONDS.sleep(hold);
          long healedAt = System.nanoTime();
          long target = cluster.heights().stream().mapToLong(Long::longValue).max().orElse(0);
          fault.heal();
          double seconds = awaitRecovery(cluster, fault, target, healedAt);
          if (seconds < 0) {
            violations.add(
                "after healing fault "
                    + number
                    + " ("
                    + fault.description()
                    + ") the cluster did not commit past height "
                    + target
                    + " on every node within "
                    + recoveryTimeout.toSeconds()
                    + " s; heights "
                    + cluster.heights());
            seconds = recoveryTimeout.toMillis() / 1000.0;
          }
          recoveries.add(
              new NemesisReport.Recovery(
                  kind.label(), fault.description(), Math.round(seconds * 1000) / 1000.0));
          progress.printf(
              "[%4d s] healed (%s); every node committed again after %.2f s%n",
              elapsed(started), fault.description(), seconds);
          TimeUnit.MILLISECONDS.sleep(gap.toMillis());
        }
        cluster.healLinks();
        load.stop(Duration.ofSeconds(10));
      }
      progress.printf(
          "[%4d s] faults over; workload stopped; waiting for the nodes to agree%n",
          elapsed(started));
      if (!ChainReader.awaitQuiet(cluster, Duration.ofSeconds(3), Duration.ofMinutes(2))) {
        progress.printf("the nodes' heights still differ: %s%n", cluster.heights());
      }
      List<Address> accounts = new ArrayList<>();
      for (Path k : keyFiles) {
        accounts.add(KeyFile.load(k).publicKey().address());
      }
      List<ChainView> chains = new ArrayList<>();
      for (NodeEndpoint e : cluster.endpoints()) {
        chains.add(ChainReader.read(e, accounts));
      }
      String trainingOutcome = "off";
      if (job != null) {
        List<String> problems = job.awaitValidModel(Duration.ofMinutes(3));
        violations.addAll(problems);
        trainingOutcome =
            "job "
                + job.id()
                + (problems.isEmpty() ? ": model " + job.model() + " verified valid" : ": failed");
        progress.printf("[%4d s] training %s%n", elapsed(started), trainingOutcome);
      }
      Verdict verdict =
          Checker.check(history.snapshot(), chains, genesisBalance(cluster, accounts));
      List<String> all = new ArrayList<>(violations);
      all.addAll(verdict.violations());
      long height = chains.stream().mapToLong(ChainView::height).max().orElse(0);
      return new NemesisReport(
          verdict.acknowledged(),
          verdict.unacknowledged(),
          verdict.lost(),
          verdict.duplicated(),
          verdict.diverged(),
          counts,
          p99(recoveries),
          nodes,
          seed,
          duration.toSeconds(),
          height,
          trainingOutcome,
          recoveries,
          all);
    }
  }

  /**
   * Seconds from healedAt until every node reports a height above target; -1 if that does not
   * happen within the recovery timeout. The fault is tended meanwhile (a node that stopped late is
   * started again).
   */
  private double awaitRecovery(
      NemesisCluster cluster, ActiveFault fault, long target, long healedAt)
      throws IOException, InterruptedException {
    long deadline = healedAt + recoveryTimeout.toNanos();
    while (System.nanoTime() < deadline) {
      // The fault first (it checks that a node on a full disk stopped with 70), then any node
      // that failed stop by itself is started again, as a supervisor would.
      fault.tend();
      cluster.restartFailStopped();
      if (cluster.heights().stream().allMatch(h -> h > target)) {
        return (System.nanoTime() - healedAt) / 1e9;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    return -1;
  }

  /** What genesis gave the accounts, together. */
  private static long genesisBalance(NemesisCluster cluster, List<Address> accounts) {
    List<String> hex = accounts.stream().map(Address::toHex).toList();
    return cluster.network().genesis().accounts().stream()
        .filter(a -> hex.contains(a.address()))
        .mapToLong(GenesisDocument.Account::balance)
        .sum();
  }

  private static double p99(List<NemesisReport.Recovery> recoveries) {
    if (recoveries.isEmpty()) {
      return 0;
    }
    List<Double> sorted = new ArrayList<>(recoveries.stream().map(r -> r.seconds()).toList());
    Collections.sort(sorted);
    int index = (int) Math.ceil(0.99 * sorted.size()) - 1;
    return Math.round(sorted.get(Math.max(0, index)) * 100) / 100.0;
  }

  private static long elapsed(long started) {
    return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
  }

  private String kindLabels() {
    return kinds.stream().map(FaultKind::label).toList().toString();
  }
}
