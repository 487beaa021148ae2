package org.fedledger.cli.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
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

/** Follows a job on the chain and prints one progress line per finalized round. */
final class RoundProgress {
  private static final Duration TIMEOUT = Duration.ofMinutes(30);
  private static final long POLL_MILLIS = 250;

  private final Supplier<Ledger> ledger;
  private final Map<String, String> names;
  private final PrintWriter out;

  /**
   * @param names owner address (hex) to the name the lines show
   */
  RoundProgress(Supplier<Ledger> ledger, Map<String, String> names, PrintWriter out) {
    this.ledger = ledger;
    this.names = Map.copyOf(names);
    this.out = out;
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
      while (next <= rounds) {
        Round r = chain.round(jobId, next).orElse(null);
        if (r == null
            || r.getStatus() != RoundStatus.ROUND_FINAL
            || awaitingMetrics(chain, job, r)) {
          break;
        }
        DemoReport.RoundLine line = line(r);
        lines.add(line);
        print(r, line, rounds);
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
        "round %2d/%d  accuracy %5.1f%%  accepted %d  rejected %d%s%s  rewards%s%n",
        r.getRound(),
        rounds,
        line.accuracy() * 100,
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
        HexFormat.of().formatHex(r.getCommitter().toByteArray()),
        HexFormat.of().formatHex(r.getCommit().getAggregateHash().toByteArray()),
        r.getFailedCommitsCount());
  }
}
