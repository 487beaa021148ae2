package org.fedledger.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.fedledger.cli.demo.hospitals.HospitalJob;
import org.fedledger.cli.demo.hospitals.HospitalPrivacy;
import org.fedledger.cli.local.LocalJobs;
import org.fedledger.cli.local.LocalNodes;
import org.fedledger.cli.local.LocalOwner;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.ParticipantRecord;
import org.fedledger.ledger.Ledger;
import org.fedledger.node.agent.BlobSource;
import org.fedledger.node.agent.JobOptions;
import org.fedledger.node.agent.TrainingState;
import org.fedledger.node.api.verify.ModelVerifier;
import org.fedledger.node.api.verify.Verification;
import org.fedledger.node.blob.BlobClient;
import org.fedledger.node.blob.BlobStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedledger demo}: three validator nodes started in this process from the configurations
 * {@code fedledger init} would write (real Raft over loopback, real RocksDB, blob servers, the REST
 * API and dashboard), data owners with Dirichlet-split Fashion-MNIST whose agents run inside those
 * nodes (the last owner malicious by its node's configuration, sign-flipping its updates), and a
 * job run on the chain: selection, local training, robust aggregation, verification by
 * re-execution, rewards from escrow, slashing. The terminal shows one line per round, then a
 * summary and an audit of the model's lineage; the nodes' logs go to a file. Keeps the network
 * running unless {@code --exit}. What the owners hold and how the job trains is the {@link
 * DemoScenario}: Fashion-MNIST images by default, or five hospitals' patient tables.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run a federated-learning job on a local three-validator chain, one data owner malicious.",
      "",
      "Example:",
      "  fedledger demo --rounds 10 --participants 5 --exit --json demo.json",
      "  fedledger demo --scenario hospitals --exit",
      "  fedledger demo --scenario hospitals --dp-epsilon 3 --exit"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:the demo failed", "2:invalid options"})
public final class DemoCommand implements Callable<Integer> {
  static final int VALIDATORS = 3;

  /** The nodes' logs, in the network's directory. */
  static final String LOG_FILE = "demo.log";

  @Spec CommandSpec spec;

  @Option(
      names = "--scenario",
      defaultValue = "fashion",
      description =
          "fashion: owners of Fashion-MNIST images, an MLP scored on a central test set;"
              + " hospitals: five hospitals' patient tables (CSV files under the network's"
              + " directory, one schema), standardized on chain, scored by each hospital on its"
              + " local test split (default: ${DEFAULT-VALUE})")
  String scenario;

  @Option(
      names = "--rounds",
      defaultValue = "10",
      description = "rounds (default: ${DEFAULT-VALUE})")
  int rounds;

  @Option(
      names = "--participants",
      defaultValue = "5",
      description =
          "data owners, the last one malicious; at least 4, and 5 for hospitals"
              + " (default: ${DEFAULT-VALUE})")
  int participants;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description =
          "seed for the data split, the initial weights and training; keys are new on every run,"
              + " as `fedledger init` makes them (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--dp-epsilon",
      paramLabel = "E",
      description =
          "hospitals only: train with DP-SGD, each patient (E, D)-private after all rounds; every"
              + " hospital's dataset gets a budget of 2E, shown at the end")
  Double dpEpsilon;

  @Option(
      names = "--dp-delta",
      paramLabel = "D",
      description = "the δ of --dp-epsilon (default: 1e-5)")
  Double dpDelta;

  @Option(names = "--exit", description = "stop the network once the job is done and audited")
  boolean exit;

  @Option(names = "--json", description = "write the report as JSON to this file")
  Path json;

  @Option(
      names = "--dir",
      description = "data directory of the network (default: a new temporary directory)")
  Path dir;

  @Option(
      names = "--base-port",
      defaultValue = "7900",
      description =
          "validator i listens on BASE+3i (API and dashboard), BASE+3i+1 (Raft) and BASE+3i+2"
              + " (blobs) on 127.0.0.1 (default: ${DEFAULT-VALUE})")
  int basePort;

  @Option(
      names = "--verbose",
      description = "show the nodes' logs on the terminal too (they always go to DIR/demo.log)")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    DemoScenario chosen = scenario();
    if (rounds < 1 || rounds > 1000) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--rounds must be 1-1000");
    }
    if (participants < 4 || participants > 50) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--participants must be 4-50: multi-krum needs at least three honest owners next to the"
              + " malicious one");
    }
    if (chosen instanceof HospitalsScenario && participants != 5) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--participants must be 5 for --scenario hospitals: five hospitals");
    }
    if (basePort < 1024 || basePort > 65535 - 3 * VALIDATORS) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--base-port must be 1024-" + (65535 - 3 * VALIDATORS) + ", got " + basePort);
    }
    if (dir != null && Files.isDirectory(dir)) {
      try (var entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new CommandLine.ParameterException(
              spec.commandLine(),
              "--dir "
                  + dir
                  + " is not empty: the demo creates a new network; give a new directory");
        }
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    long start = System.nanoTime();
    Path root =
        (dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("fedledger-demo"))
            .toAbsolutePath();
    out.printf(
        "fedledger demo: %d validators, %d data owners of %s (the last malicious), %d rounds,"
            + " data in %s%n",
        VALIDATORS, participants, chosen.data(), rounds, root);
    DemoLog logs = DemoLog.open(root.resolve(LOG_FILE), verbose);
    out.printf("logs: %s%s%n", logs.file(), verbose ? " (and below)" : "");
    out.flush();
    try {
      return run(chosen, root, out, start);
    } finally {
      if (exit) {
        logs.close();
      }
    }
  }

  private DemoScenario scenario() {
    switch (scenario) {
      case "fashion":
        privacy(); // refuses --dp-* options, which only the hospitals scenario takes
        return new FashionScenario();
      case "hospitals":
        return new HospitalsScenario(privacy());
      default:
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--scenario must be fashion or hospitals, got \"" + scenario + "\"");
    }
  }

  /** The hospitals' DP plan, if --dp-epsilon asks for one; refuses --dp-* options otherwise. */
  private Optional<HospitalPrivacy> privacy() {
    if (dpEpsilon == null) {
      if (dpDelta != null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--dp-delta needs --dp-epsilon");
      }
      return Optional.empty();
    }
    if (!scenario.equals("hospitals")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--dp-epsilon needs --scenario hospitals");
    }
    try {
      HospitalPrivacy p = HospitalPrivacy.of(dpEpsilon, dpDelta == null ? 1e-5 : dpDelta);
      // Refused here, before any node starts, when no noise reaches ε over these rounds.
      p.params(HospitalJob.DP_TRAINING, rounds);
      return Optional.of(p);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private int run(DemoScenario scenario, Path root, PrintWriter out, long start) throws Exception {
    List<LocalOwner> owners = scenario.owners(root, participants, seed);
    JobOptions options = scenario.job(owners, rounds);
    LocalNodes net =
        LocalNodes.builder()
            .setDir(root)
            .setBasePort(basePort)
            .setValidators(VALIDATORS)
            .setOwners(owners)
            .optEvaluation(scenario.evaluation(seed))
            .start(Duration.ofSeconds(60));
    try {
      out.printf("network up: dashboard and API %s/%n", net.apiUrl(0));
      for (LocalOwner owner : owners) {
        out.printf(
            "  %s: %s%s%n",
            owner.name(),
            scenario.describe(owner),
            owner.malicious() ? "  [malicious: " + owner.attack() + "]" : "");
      }
      out.flush();
      Hash jobId =
          new LocalJobs(net)
              .optDatasetFields(scenario.datasetFields())
              .createAndStart(options, seed, scenario.training(), scenario.jobFields());
      out.printf(
          "job %s: %s, strategy %s, reward %d escrowed%n",
          jobId.toHex().substring(0, 16),
          scenario.modelName(),
          options.strategy(),
          options.reward());
      if (scenario.budgeted()) {
        printPrivacy(net.ledger(), jobId, out);
      }
      out.flush();
      List<DemoReport.RoundLine> roundLines =
          new RoundProgress(net::ledger, names(net), out, scenario.federatedMetrics())
              .follow(jobId);
      DemoReport report = summarize(scenario, net, root, jobId, roundLines, start, seed);
      print(report, out);
      if (json != null) {
        Path parent = json.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        ObjectMapper mapper =
            new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT);
        mapper.writeValue(json.toFile(), report);
        out.printf("report written to %s%n", json);
      }
      if (!exit) {
        out.printf(
            "network keeps running: dashboard and API %s/ (e.g. /v1/status); Ctrl-C stops it%n",
            net.apiUrl(0));
        out.flush();
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      net.close();
                      forever.countDown();
                    }));
        forever.await();
        return 0;
      }
      return report.verify().equals("valid") ? 0 : 1;
    } finally {
      if (exit) {
        net.close();
      }
    }
  }

  private static DemoReport summarize(
      DemoScenario scenario,
      LocalNodes net,
      Path root,
      Hash jobId,
      List<DemoReport.RoundLine> rounds,
      long start,
      long seed)
      throws Exception {
    Ledger ledger = net.ledger();
    TrainingState chain = new TrainingState(ledger);
    Job job = chain.job(jobId).orElseThrow();
    List<DemoReport.ParticipantLine> people = new ArrayList<>();
    for (int k = 0; k < net.owners().size(); k++) {
      LocalOwner o = net.owners().get(k);
      Address a = net.ownerKey(k).publicKey().address();
      ParticipantRecord rec = chain.participant(jobId, a).orElseThrow();
      people.add(
          new DemoReport.ParticipantLine(
              o.name(),
              a.toHex(),
              o.malicious(),
              rec.getAccepted(),
              rec.getRejected(),
              rec.getReward(),
              rec.getSlashed()));
    }
    Verification audit =
        auditor(net, root).await(job.getModelId(), java.time.Duration.ofMinutes(5));
    long height = ledger.height();
    long txs = 0;
    for (long h = 1; h <= height; h++) {
      txs += ledger.headerByHeight(h).map(b -> (long) b.getTxCount()).orElse(0L);
    }
    DemoServing.Sample sample = scenario.servingSample(seed, DemoServing.CALLS);
    DemoServing.Result serving =
        sample == null
            ? null
            : DemoServing.run(net, job.getModelId(), sample, root.resolve("client-channels"));
    DemoReport.RoundLine last = rounds.isEmpty() ? null : rounds.get(rounds.size() - 1);
    return new DemoReport(
        scenario.name(),
        scenario.federatedMetrics() ? "federated" : "central",
        last == null ? 0 : last.accuracy(),
        last == null ? Map.of() : last.metrics(),
        rounds,
        people,
        job.getModelId(),
        jobId.toHex(),
        audit.status(),
        audit.problems(),
        height,
        txs,
        (System.nanoTime() - start) / 1e9,
        scenario.budgeted()
            ? HospitalPrivacy.budgets(
                ledger, net.owners().stream().map(LocalOwner::datasetId).toList())
            : List.of(),
        serving);
  }

  /**
   * Re-verifies the model as an auditor holding a validator's key would: fetching every blob the
   * chain names from the nodes' blob servers into a store of its own, re-running every round.
   */
  private static ModelVerifier auditor(LocalNodes net, Path root) throws Exception {
    List<String> blobServers = new ArrayList<>();
    for (int i = 0; i < net.nodes().size(); i++) {
      blobServers.add(net.blobUrl(i));
    }
    BlobClient client =
        new BlobClient(
            net.validatorKey(0),
            new BlobStore(root.resolve("auditor").resolve("blobs")),
            Clock.systemUTC());
    return new ModelVerifier(net::ledger, new BlobSource(client, blobServers));
  }

  /** The DP job's parameters and what it costs each dataset, as the chain priced it. */
  private static void printPrivacy(Ledger ledger, Hash jobId, PrintWriter out) {
    Job job = new TrainingState(ledger).job(jobId).orElseThrow();
    var dp = job.getSpec().getDp();
    out.printf(
        Locale.ROOT,
        "privacy: DP-SGD at every hospital, (ε = %.3f, δ = %.3g) for every patient after all"
            + " rounds (σ = %.3f, C = %.1f, q = %.4f, %d steps a round), reserved on each budget%n",
        job.getDpAccounting().getEpsilonMicros() / 1e6,
        job.getDpAccounting().getDeltaPerTrillion() / 1e12,
        dp.getNoiseMultiplierMicros() / 1e6,
        dp.getClipNormMicros() / 1e6,
        dp.getSampleRatePpm() / 1e6,
        dp.getLocalSteps());
  }

  private static void print(DemoReport r, PrintWriter out) {
    out.println();
    out.printf(
        Locale.ROOT,
        "final %s after %d rounds%s%n",
        RoundProgress.text(r.finalMetrics()),
        r.rounds().size(),
        r.metricsSource().equals("federated")
            ? " (the owners' evaluations on their local test splits)"
            : " (central test set)");
    out.println("participant          malicious  accepted  rejected  reward   slashed");
    for (DemoReport.ParticipantLine p : r.participants()) {
      out.printf(
          Locale.ROOT,
          "%-19s  %-9s  %8d  %8d  %7d  %7d%n",
          p.id(),
          p.malicious() ? "yes" : "no",
          p.accepted(),
          p.rejected(),
          p.reward(),
          p.slashed());
    }
    if (!r.privacyBudgets().isEmpty()) {
      out.println(
          "privacy budget (ε)            total    spent  reserved  remaining   δ remaining");
      for (HospitalPrivacy.DatasetBudget b : r.privacyBudgets()) {
        out.printf(
            Locale.ROOT,
            "%-28s  %6.3f  %7.3f  %8.3f  %9.3f   %.3g%n",
            b.dataset(),
            b.budgetEpsilon(),
            b.spentEpsilon(),
            b.reservedEpsilon(),
            b.remainingEpsilon(),
            b.remainingDelta());
      }
    }
    out.printf("model %s%n", r.modelId());
    out.printf(
        "verify: %s%s%n",
        r.verify(),
        r.verifyProblems().isEmpty()
            ? " (every hash re-checked, every round re-run)"
            : " " + r.verifyProblems());
    if (r.serving() != null) {
      DemoServing.print(r.serving(), out);
    }
    out.printf(
        Locale.ROOT,
        "%d blocks, %d transactions, %.0f s%n",
        r.blocks(),
        r.transactions(),
        r.wallSeconds());
    out.flush();
  }

  private static Map<String, String> names(LocalNodes net) throws Exception {
    Map<String, String> m = new HashMap<>();
    for (int k = 0; k < net.owners().size(); k++) {
      m.put(net.ownerKey(k).publicKey().address().toHex(), net.owners().get(k).name());
    }
    return m;
  }
}
