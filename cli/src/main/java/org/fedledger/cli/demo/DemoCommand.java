package org.fedledger.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.ParticipantRecord;
import org.fedledger.core.proto.training.Payout;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.RoundStatus;
import org.fedledger.learning.attack.SignFlip;
import org.fedledger.learning.data.DataSplit;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.train.OptimizerKind;
import org.fedledger.learning.train.TrainConfig;
import org.fedledger.ledger.Ledger;
import org.fedledger.node.ConsensusBackend;
import org.fedledger.node.agent.JobOptions;
import org.fedledger.node.agent.LocalTrainingNetwork;
import org.fedledger.node.agent.OwnerData;
import org.fedledger.node.agent.TrainingState;
import org.fedledger.node.api.ApiServer;
import org.fedledger.node.api.CommittedBlock;
import org.fedledger.node.api.verify.ModelVerifier;
import org.fedledger.node.api.verify.Verification;
import org.fedledger.node.config.HostPort;
import org.fedledger.node.metrics.NodeMetrics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedledger demo}: three validators (real Raft over loopback, real RocksDB), data owners
 * with Dirichlet-split Fashion-MNIST (the last one malicious, sign-flipping its updates), and a job
 * run on the chain: selection, local training, robust aggregation, verification by re-execution,
 * rewards from escrow, slashing. Ends with a summary and an audit of the model's lineage; keeps the
 * network running (with its REST API) unless {@code --exit}.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run a federated-learning job on a local three-validator chain, one data owner malicious.",
      "",
      "Example:",
      "  fedledger demo --rounds 10 --participants 5 --exit --json demo.json"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:the demo failed", "2:invalid options"})
public final class DemoCommand implements Callable<Integer> {
  static final int VALIDATORS = 3;
  static final int SAMPLES_PER_OWNER = 1200;
  static final int TEST_SAMPLES = 2000;

  @Spec CommandSpec spec;

  @Option(
      names = "--rounds",
      defaultValue = "10",
      description = "rounds (default: ${DEFAULT-VALUE})")
  int rounds;

  @Option(
      names = "--participants",
      defaultValue = "5",
      description = "data owners, the last one malicious; at least 4 (default: ${DEFAULT-VALUE})")
  int participants;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "seed for keys, data split and training (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--exit", description = "stop the network once the job is done and audited")
  boolean exit;

  @Option(names = "--json", description = "write the report as JSON to this file")
  Path json;

  @Option(
      names = "--dir",
      description = "data directory of the network (default: a new temporary directory)")
  Path dir;

  @Override
  public Integer call() throws Exception {
    if (rounds < 1 || rounds > 1000) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--rounds must be 1-1000");
    }
    if (participants < 4 || participants > 50) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--participants must be 4-50: multi-krum needs at least three honest owners next to the"
              + " malicious one");
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
        dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("fedledger-demo");
    out.printf(
        "fedledger demo: %d validators, %d data owners (p%d malicious), %d rounds, data in %s%n",
        VALIDATORS, participants, participants, rounds, root);
    out.flush();

    // The embedded Fashion-MNIST test split, always: the demo gives the same result on every
    // machine, whether or not the full set is installed.
    DataSplit split = Datasets.embeddedFashionMnist();
    LabeledData[] parts =
        OwnerData.dirichlet(
            split.train(), participants, participants * SAMPLES_PER_OWNER, 0.5, seed);
    LabeledData test = OwnerData.sample(split.test(), TEST_SAMPLES, seed + 1);
    List<LocalTrainingNetwork.Owner> owners = new ArrayList<>();
    for (int i = 0; i < participants; i++) {
      boolean malicious = i == participants - 1;
      owners.add(
          new LocalTrainingNetwork.Owner(
              "p" + (i + 1), parts[i], malicious ? new SignFlip(4.0) : null));
    }
    TrainConfig train = new TrainConfig(1, 32, OptimizerKind.SGD, 0.05f, 0f);
    JobOptions options =
        JobOptions.builder()
            .setModel(ModelSpecs.preset("mlp"))
            .setRounds(rounds)
            .setParticipantsPerRound(participants)
            .setStrategy("multi-krum:" + (participants - 1) + ":1")
            .optMinUpdates(participants - 2)
            .optReward(1_000_000)
            .optStake(10_000)
            .optRoundBlocks(300)
            .optCommitBlocks(300)
            .optAttestQuorum(1)
            .build();
    LocalTrainingNetwork net =
        LocalTrainingNetwork.start(root, VALIDATORS, owners, seed, test, null, train);
    ApiServer api = null;
    ModelVerifier verifier = null;
    try {
      NodeMetrics metrics =
          new NodeMetrics(() -> net.node().mempool().size(), () -> net.node().height());
      // The node's verifier fetches blobs as the network's auditor does: from the sponsor's and
      // the validators' blob servers. Its verdict is the one the summary prints.
      verifier = new ModelVerifier(net.node()::ledger, net.auditorSource());
      ApiServer server = new ApiServer(new ConsensusBackend(net.node()), metrics, verifier);
      api = server.start(HostPort.parse("127.0.0.1:0"));
      net.node().addBlockListener(b -> server.blockCommitted(CommittedBlock.of(b)));
      out.printf("network up: dashboard and API http://127.0.0.1:%d/%n", api.port());
      for (int i = 0; i < participants; i++) {
        LabeledData d = parts[i];
        out.printf(
            "  %s: %d samples, %s%s%n",
            owners.get(i).name(),
            d.size(),
            labelSummary(d),
            owners.get(i).attack() != null ? "  [malicious: sign-flip x4]" : "");
      }
      out.flush();
      Hash jobId = net.createAndStartJob(options);
      out.printf(
          "job %s: %s, strategy %s, reward %d escrowed%n",
          jobId.toHex().substring(0, 16), "mlp", options.strategy(), options.reward());
      out.flush();
      List<DemoReport.RoundLine> roundLines = follow(net, jobId, out);
      DemoReport report = summarize(net, verifier, jobId, roundLines, start);
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
            "network keeps running: dashboard and API http://127.0.0.1:%d/ (e.g. /v1/status); Ctrl-C stops it%n",
            api.port());
        out.flush();
        CountDownLatch forever = new CountDownLatch(1);
        ApiServer apiRef = api;
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      apiRef.close();
                      net.close();
                      forever.countDown();
                    }));
        forever.await();
        return 0;
      }
      return report.verify().equals("valid") ? 0 : 1;
    } finally {
      if (exit) {
        if (api != null) {
          api.close();
        }
        net.close();
      }
    }
  }

  /** Prints a line per finalized round until the job completes. */
  private static List<DemoReport.RoundLine> follow(
      LocalTrainingNetwork net, Hash jobId, PrintWriter out) throws InterruptedException {
    List<DemoReport.RoundLine> lines = new ArrayList<>();
    Map<String, String> names = names(net);
    long next = 1;
    long deadline = System.nanoTime() + java.time.Duration.ofMinutes(30).toNanos();
    while (true) {
      TrainingState chain = new TrainingState(net.ledger());
      Job job = chain.job(jobId).orElseThrow();
      long rounds = job.getSpec().getRounds();
      while (next <= rounds) {
        Round r = chain.round(jobId, next).orElse(null);
        if (r == null
            || r.getStatus() != RoundStatus.ROUND_FINAL
            || awaitingMetrics(chain, job, r)) {
          break;
        }
        DemoReport.RoundLine line = line(r);
        lines.add(line);
        StringBuilder rewards = new StringBuilder();
        for (Payout p : r.getPayoutsList()) {
          rewards
              .append(' ')
              .append(names.get(hex(p.getParticipant().toByteArray())))
              .append('=')
              .append(p.getAmount());
        }
        List<String> rejected = new ArrayList<>();
        for (var rej : r.getCommit().getRejectedList()) {
          for (var s : r.getSubmissionsList()) {
            if (s.getUpdateHash().equals(rej.getUpdateHash())) {
              rejected.add(names.get(hex(s.getParticipant().toByteArray())));
            }
          }
        }
        out.printf(
            Locale.ROOT,
            "round %2d/%d  accuracy %5.1f%%  accepted %d  rejected %d%s%s  rewards%s%n",
            next,
            rounds,
            line.accuracy() * 100,
            line.accepted(),
            line.rejected(),
            rejected.isEmpty() ? "" : " " + rejected,
            line.failedCommits() > 0
                ? "  (" + line.failedCommits() + " wrong commit replaced)"
                : "",
            rewards);
        out.flush();
        next++;
      }
      if (job.getStatus() == JobStatus.JOB_COMPLETED && next > rounds) {
        return lines;
      }
      if (job.getStatus() == JobStatus.JOB_CANCELLED) {
        throw new IllegalStateException("the job was cancelled");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the job did not complete within 30 minutes");
      }
      Thread.sleep(250);
    }
  }

  /**
   * Whether a finalized round's metrics are still to come: the aggregator reports them after its
   * commit (ReportMetrics), and the demo's line shows the accuracy. Not once the job has stopped
   * running or the next round has finalized too: a report that late is not coming.
   */
  private static boolean awaitingMetrics(TrainingState chain, Job job, Round r) {
    if (r.getCommit().getMetricsCount() > 0 || job.getStatus() != JobStatus.JOB_RUNNING) {
      return false;
    }
    return chain
        .round(TrainingState.id(job), r.getRound() + 1)
        .map(next -> next.getStatus() != RoundStatus.ROUND_FINAL)
        .orElse(true);
  }

  private static DemoReport.RoundLine line(Round r) {
    long acc = 0;
    for (Metric m : r.getCommit().getMetricsList()) {
      if (m.getName().equals("accuracy_ppm")) {
        acc = m.getValue();
      }
    }
    return new DemoReport.RoundLine(
        r.getRound(),
        acc / 1e6,
        r.getCommit().getAcceptedCount(),
        r.getCommit().getRejectedCount(),
        hex(r.getCommitter().toByteArray()),
        hex(r.getCommit().getAggregateHash().toByteArray()),
        r.getFailedCommitsCount());
  }

  private static DemoReport summarize(
      LocalTrainingNetwork net,
      ModelVerifier verifier,
      Hash jobId,
      List<DemoReport.RoundLine> rounds,
      long start)
      throws InterruptedException {
    Ledger ledger = net.ledger();
    TrainingState chain = new TrainingState(ledger);
    Job job = chain.job(jobId).orElseThrow();
    List<DemoReport.ParticipantLine> people = new ArrayList<>();
    for (LocalTrainingNetwork.Participant p : net.participants()) {
      Address a = p.key.publicKey().address();
      ParticipantRecord rec = chain.participant(jobId, a).orElseThrow();
      people.add(
          new DemoReport.ParticipantLine(
              p.owner.name(),
              a.toHex(),
              p.owner.attack() != null,
              rec.getAccepted(),
              rec.getRejected(),
              rec.getReward(),
              rec.getSlashed()));
    }
    Verification audit = verifier.await(job.getModelId(), java.time.Duration.ofMinutes(5));
    long height = ledger.height();
    long txs = 0;
    for (long h = 1; h <= height; h++) {
      txs += ledger.headerByHeight(h).map(b -> (long) b.getTxCount()).orElse(0L);
    }
    return new DemoReport(
        rounds.isEmpty() ? 0 : rounds.get(rounds.size() - 1).accuracy(),
        rounds,
        people,
        job.getModelId(),
        jobId.toHex(),
        audit.status(),
        audit.problems(),
        height,
        txs,
        (System.nanoTime() - start) / 1e9);
  }

  private static void print(DemoReport r, PrintWriter out) {
    out.println();
    out.printf(
        Locale.ROOT,
        "final accuracy %.1f%% after %d rounds%n",
        r.finalAccuracy() * 100,
        r.rounds().size());
    out.println("participant  malicious  accepted  rejected  reward   slashed");
    for (DemoReport.ParticipantLine p : r.participants()) {
      out.printf(
          Locale.ROOT,
          "%-11s  %-9s  %8d  %8d  %7d  %7d%n",
          p.id(),
          p.malicious() ? "yes" : "no",
          p.accepted(),
          p.rejected(),
          p.reward(),
          p.slashed());
    }
    out.printf("model %s%n", r.modelId());
    out.printf(
        "verify: %s%s%n",
        r.verify(),
        r.verifyProblems().isEmpty()
            ? " (every hash re-checked, every round re-run)"
            : " " + r.verifyProblems());
    out.printf(
        Locale.ROOT,
        "%d blocks, %d transactions, %.0f s%n",
        r.blocks(),
        r.transactions(),
        r.wallSeconds());
    out.flush();
  }

  private static Map<String, String> names(LocalTrainingNetwork net) {
    Map<String, String> m = new HashMap<>();
    for (LocalTrainingNetwork.Participant p : net.participants()) {
      m.put(p.key.publicKey().address().toHex(), p.owner.name());
    }
    return m;
  }

  private static String labelSummary(LabeledData d) {
    int[] counts = d.classCounts();
    int top = 0;
    for (int c = 1; c < counts.length; c++) {
      if (counts[c] > counts[top]) {
        top = c;
      }
    }
    return String.format(
        Locale.ROOT,
        "mostly %s (%d%%)",
        Datasets.FASHION_MNIST_LABELS.get(top),
        100 * counts[top] / Math.max(1, d.size()));
  }

  private static String hex(byte[] b) {
    return java.util.HexFormat.of().formatHex(b);
  }
}
