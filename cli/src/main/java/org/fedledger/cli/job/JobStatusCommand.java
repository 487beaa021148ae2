package org.fedledger.cli.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.fedledger.cli.CommandFailedException;
import org.fedledger.cli.chain.NodeOption;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.cli.model.ProtoJsonReader;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.registry.Score;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.ParticipantRecord;
import org.fedledger.core.proto.training.Payout;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.SlashEntry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fedledger job status JOB_ID}: the job, its rounds (selection, updates, commit, scores,
 * rewards, slashes), their central and federated metrics ({@link JobMetricsTable}) and its
 * participants, as a table or, with --json, as the node's JSON.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show a job: rounds, participants, scores, rewards and slashes.",
      "With --wait, first wait until it has completed or been cancelled, printing a line as each"
          + " round moves on."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:shown",
      "1:no such job, node unreachable, or still running when --wait timed out",
      "2:invalid options"
    })
public final class JobStatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin NodeOption node;

  @Parameters(index = "0", paramLabel = "JOB_ID", description = "Job id, 64 hex digits.")
  String jobId;

  @Option(names = "--json", description = "Print the node's JSON instead of a table.")
  boolean json;

  @Option(names = "--wait", description = "Wait until the job has completed or been cancelled.")
  boolean wait;

  @Option(
      names = "--timeout",
      defaultValue = "600",
      description = "Seconds --wait waits at most (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() throws InterruptedException {
    Hash id = parseJobId(spec, jobId);
    PrintWriter out = spec.commandLine().getOut();
    JsonNode body = fetch(id);
    if (wait) {
      body = awaitEnd(id, body, out);
    }
    if (json) {
      out.println(NodeClient.pretty(body));
    } else {
      print(body, out);
    }
    out.flush();
    return 0;
  }

  private JsonNode fetch(Hash id) {
    return node.client()
        .get("/v1/jobs/" + id.toHex())
        .orElseThrow(() -> new CommandFailedException("no job " + id.toHex() + " on the chain"));
  }

  /** Polls until the job is completed or cancelled, printing each change of round or status. */
  private JsonNode awaitEnd(Hash id, JsonNode body, PrintWriter out) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    String last = "";
    while (true) {
      Job job = ProtoJsonReader.read(body.path("job"), Job.getDefaultInstance());
      String now = progress(job, body);
      if (!now.equals(last)) {
        out.println(now);
        out.flush();
        last = now;
      }
      if (job.getStatus() == JobStatus.JOB_COMPLETED
          || job.getStatus() == JobStatus.JOB_CANCELLED) {
        out.println();
        return body;
      }
      if (System.nanoTime() > deadline) {
        throw new CommandFailedException(
            "job "
                + id.toHex()
                + " is still "
                + job.getStatus()
                + " after "
                + timeoutSeconds
                + " s; wait longer with --timeout");
      }
      Thread.sleep(500);
      body = fetch(id);
    }
  }

  private static String progress(Job job, JsonNode body) {
    String round = "";
    for (JsonNode r : body.path("rounds")) {
      Round x = ProtoJsonReader.read(r, Round.getDefaultInstance());
      if (x.getRound() == job.getCurrentRound()) {
        round =
            String.format(
                Locale.ROOT,
                ", round %d of %d %s, %d of %d updates",
                x.getRound(),
                job.getSpec().getRounds(),
                x.getStatus(),
                x.getSubmissionsCount(),
                x.getSelectedCount());
      }
    }
    return job.getStatus() + round;
  }

  static Hash parseJobId(CommandSpec spec, String text) {
    try {
      return Hash.fromHex(text);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "JOB_ID must be 64 hex digits: " + text);
    }
  }

  static void print(JsonNode body, PrintWriter out) {
    Job job = ProtoJsonReader.read(body.path("job"), Job.getDefaultInstance());
    out.printf("job        %s%n", hex(job.getJobId().toByteArray()));
    out.printf(
        "status     %s, round %d of %d%n",
        job.getStatus(), job.getCurrentRound(), job.getSpec().getRounds());
    out.printf("sponsor    %s%n", hex(job.getSponsor().toByteArray()));
    out.printf(
        "strategy   %s, %d per round, required use %s%n",
        job.getSpec().getStrategy(),
        job.getSpec().getParticipantsPerRound(),
        job.getSpec().getRequiredUse());
    out.printf("training   %s%n", training(job.getSpec()));
    out.printf(
        "escrow     %d remaining, %d paid of %d%n",
        job.getEscrowRemaining(), job.getEscrowPaid(), job.getSpec().getReward());
    out.printf("model      %s%n", job.getModelId().isEmpty() ? "-" : job.getModelId());
    out.println();
    out.println(
        "round  status           updates  accepted  rejected  aggregate         rewards  slashed");
    for (JsonNode r : body.path("rounds")) {
      Round round = ProtoJsonReader.read(r, Round.getDefaultInstance());
      long paid = round.getPayoutsList().stream().mapToLong(Payout::getAmount).sum();
      long slashed = round.getSlashesList().stream().mapToLong(SlashEntry::getAmount).sum();
      String agg =
          round.getCommit().getAggregateHash().isEmpty()
              ? "-"
              : hex(round.getCommit().getAggregateHash().toByteArray()).substring(0, 16);
      out.printf(
          Locale.ROOT,
          "%5d  %-15s  %7d  %8d  %8d  %-16s  %7d  %7d%n",
          round.getRound(),
          round.getStatus(),
          round.getSubmissionsCount(),
          round.getCommit().getAcceptedCount(),
          round.getCommit().getRejectedCount(),
          agg,
          paid,
          slashed);
      for (Score s : round.getCommit().getScoresList()) {
        out.printf(
            Locale.ROOT,
            "         score %s %8.4f%%%n",
            hex(s.getParticipant().toByteArray()),
            s.getPpm() / 10_000.0);
      }
      for (SlashEntry s : round.getSlashesList()) {
        out.printf(
            "         slashed %s %d: %s%n",
            hex(s.getAccount().toByteArray()), s.getAmount(), s.getReason());
      }
    }
    JobMetricsTable.print(job, body, out);
    out.println();
    out.println(
        "participant                               dataset               stake  accepted  rejected   reward  slashed");
    for (JsonNode p : body.path("participants")) {
      ParticipantRecord rec = ProtoJsonReader.read(p, ParticipantRecord.getDefaultInstance());
      out.printf(
          Locale.ROOT,
          "%-40s  %-18s  %8d  %8d  %8d  %7d  %7d%n",
          hex(rec.getParticipant().toByteArray()),
          rec.getDatasetId(),
          rec.getStake(),
          rec.getAccepted(),
          rec.getRejected(),
          rec.getReward(),
          rec.getSlashed());
    }
  }

  /**
   * What every participant trains with, as the job fixes it: the learning rate and its schedule
   * over the rounds, local epochs and batch; "own" where the job leaves a setting to each owner.
   */
  static String training(CreateJob spec) {
    return String.format(
        Locale.ROOT,
        "lr %s, schedule %s, epochs %s, batch %s%s",
        spec.getLearningRateMicros() == 0
            ? "own"
            : BigDecimal.valueOf(spec.getLearningRateMicros(), 6)
                .stripTrailingZeros()
                .toPlainString(),
        spec.getLearningRateSchedule().isEmpty() ? "constant" : spec.getLearningRateSchedule(),
        spec.getLocalEpochs() == 0 ? "own" : Long.toString(spec.getLocalEpochs()),
        spec.getBatchSize() == 0 ? "own" : Long.toString(spec.getBatchSize()),
        spec.hasDp() ? ", DP-SGD" : "");
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
