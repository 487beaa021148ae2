package org.fedledger.cli.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.Payout;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.RoundStatus;
import org.fedledger.ledger.Ledger;
import org.fedledger.node.agent.TrainingState;

/**
 * Follows a job on the chain and prints one progress line per finalized round, with its metrics:
 * the aggregator's on its central test set (ReportMetrics, after the commit), or the owners'
 * federated evaluations (ReportEvaluation, after the round is final).
 */
final class RoundProgress {
  private static final Duration TIMEOUT = Duration.ofMinutes(30);
  private static final long POLL_MILLIS = 250;

  /**
   * How long a final round's line waits for its owners' evaluations: they come within seconds, but
   * an owner whose node is down never reports, and the line must not wait for it forever.
   */
  private static final Duration EVALUATIONS_WAIT = Duration.ofSeconds(30);

  private final Supplier<Ledger> ledger;
  private final Map<String, String> names;
  private final PrintWriter out;
  private final boolean federated;
  private long finalSeenAt = -1;
  private boolean statisticsShown;

  /**
   * @param names owner address (hex) to the name the lines show
   * @param federated whether the lines show the owners' federated metrics, not the central ones
   */
  RoundProgress(
      Supplier<Ledger> ledger, Map<String, String> names, PrintWriter out, boolean federated) {
    this.ledger = ledger;
    this.names = Map.copyOf(names);
    this.out = out;
    this.federated = federated;
  }

  /** Prints a line per finalized round until the job completes; returns the rounds' lines. */
  List<DemoReport.RoundLine> follow(Hash jobId) throws InterruptedException {
    List<DemoReport.RoundLine> lines = new ArrayList<>();
    long next = 1;
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      TrainingState chain = new TrainingState(ledger.get());
      Job job = chain.job(jobId).orElseThrow();
      long rounds = job.getSpec().getRounds();
      showStatistics(chain, job);
      while (next <= rounds) {
        Round r = chain.round(jobId, next).orElse(null);
        if (r == null
            || r.getStatus() != RoundStatus.ROUND_FINAL
            || (federated ? awaitingEvaluations(chain, job, r) : awaitingMetrics(chain, job, r))) {
          break;
        }
        DemoReport.RoundLine line = line(r);
        lines.add(line);
        print(r, line, rounds);
        finalSeenAt = -1;
        next++;
      }
      if (job.getStatus() == JobStatus.JOB_COMPLETED && next > rounds) {
        return lines;
      }
      if (job.getStatus() == JobStatus.JOB_CANCELLED) {
        throw new IllegalStateException("the job was cancelled");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the job did not complete within " + TIMEOUT.toMinutes() + " minutes");
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  private void print(Round r, DemoReport.RoundLine line, long rounds) {
    StringBuilder rewards = new StringBuilder();
    for (Payout p : r.getPayoutsList()) {
      rewards.append(' ').append(name(p.getParticipant().toByteArray())).append('=');
      rewards.append(p.getAmount());
    }
    List<String> rejected = new ArrayList<>();
    for (var rej : r.getCommit().getRejectedList()) {
      for (var s : r.getSubmissionsList()) {
        if (s.getUpdateHash().equals(rej.getUpdateHash())) {
          rejected.add(name(s.getParticipant().toByteArray()));
        }
      }
    }
    out.printf(
        Locale.ROOT,
        "round %2d/%d  %s%s  accepted %d  rejected %d%s%s  rewards%s%n",
        r.getRound(),
        rounds,
        text(line.metrics()),
        federated ? " (" + line.evaluations() + " owners' test splits)" : "",
        line.accepted(),
        line.rejected(),
        rejected.isEmpty() ? "" : " " + rejected,
        line.failedCommits() > 0 ? "  (" + line.failedCommits() + " wrong commit replaced)" : "",
        rewards);
    out.flush();
  }

  private String name(byte[] address) {
    return names.get(HexFormat.of().formatHex(address));
  }

  /**
   * Whether a finalized round's metrics are still to come: the aggregator reports them after its
   * commit (ReportMetrics), and the line shows the accuracy. Not once the job has stopped running
   * or the next round has finalized too: a report that late is not coming.
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

  /** Once: the statistics step's line, when a job that standardizes has its statistics. */
  private void showStatistics(TrainingState chain, Job job) {
    if (statisticsShown || job.getStatisticsHash().isEmpty()) {
      return;
    }
    Round r = chain.round(TrainingState.id(job), 0).orElseThrow();
    out.printf(
        "round  0    statistics of %d owners combined and attested: %s%n",
        r.getSubmissionsCount(),
        HexFormat.of().formatHex(job.getStatisticsHash().toByteArray()).substring(0, 16));
    out.flush();
    statisticsShown = true;
  }

  /**
   * Whether a final round's federated metrics are still to come: every selected owner reports its
   * evaluation once the round is final. Not once the next round has finalized too, nor after {@link
   * #EVALUATIONS_WAIT}.
   */
  private boolean awaitingEvaluations(TrainingState chain, Job job, Round r) {
    if (r.getEvaluationsCount() >= r.getSelectedCount()) {
      return false;
    }
    if (finalSeenAt < 0) {
      finalSeenAt = System.nanoTime();
    }
    if (System.nanoTime() - finalSeenAt > EVALUATIONS_WAIT.toNanos()) {
      return false;
    }
    return chain
        .round(TrainingState.id(job), r.getRound() + 1)
        .map(next -> next.getStatus() != RoundStatus.ROUND_FINAL)
        .orElse(true);
  }

  private DemoReport.RoundLine line(Round r) {
    Map<String, Double> metrics =
        metrics(federated ? r.getFederatedMetricsList() : r.getCommit().getMetricsList());
    return new DemoReport.RoundLine(
        r.getRound(),
        metrics.getOrDefault("accuracy", 0.0),
        metrics,
        federated ? r.getEvaluationsCount() : 0,
        r.getCommit().getAcceptedCount(),
        r.getCommit().getRejectedCount(),
        HexFormat.of().formatHex(r.getCommitter().toByteArray()),
        HexFormat.of().formatHex(r.getCommit().getAggregateHash().toByteArray()),
        r.getFailedCommitsCount());
  }

  /**
   * The chain's integer metrics by their plain names: {@code accuracy_ppm} 830000 is {@code
   * accuracy} 0.83, {@code rmse_micro} 1500000 is {@code rmse} 1.5.
   */
  static Map<String, Double> metrics(List<Metric> onChain) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Metric m : onChain) {
      String name = m.getName();
      if (name.endsWith("_ppm")) {
        out.put(name.substring(0, name.length() - 4), m.getValue() / 1e6);
      } else if (name.endsWith("_micro")) {
        out.put(name.substring(0, name.length() - 6), m.getValue() / 1e6);
      } else {
        out.put(name, (double) m.getValue());
      }
    }
    return out;
  }

  /**
   * Metrics for a line, accuracy first: "accuracy 83.1%, auc 0.903, macro_f1 0.821"; the loss is
   * left to the JSON report.
   */
  static String text(Map<String, Double> metrics) {
    List<String> parts = new ArrayList<>();
    if (metrics.containsKey("accuracy")) {
      parts.add(String.format(Locale.ROOT, "accuracy %5.1f%%", metrics.get("accuracy") * 100));
    }
    metrics.forEach(
        (name, value) -> {
          if (!name.equals("accuracy") && !name.equals("loss")) {
            parts.add(String.format(Locale.ROOT, "%s %.3f", name, value));
          }
        });
    return parts.isEmpty() ? "no metrics" : String.join(", ", parts);
  }
}
