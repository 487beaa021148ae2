package org.fedledger.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedledger.cli.testing.CliRun;
import org.fedledger.core.proto.training.DpParams;
import org.fedledger.learning.privacy.DpDefaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DP options of job create and dataset register, refused with their reason (exit 2) before any
 * key is read or node contacted; good ones go on to the (missing) key.
 */
class JobCreateDpTest {
  @TempDir Path dir;

  private CliRun create(String... dp) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "job",
                "create",
                "--node",
                "http://127.0.0.1:9",
                "--key",
                dir.resolve("none.key").toString(),
                "--blobs",
                "http://127.0.0.1:9",
                "--model",
                "logreg",
                "--rounds",
                "5",
                "--participants-per-round",
                "1",
                "--reward",
                "1",
                "--round-blocks",
                "10",
                "--required-use",
                "x"));
    args.addAll(List.of(dp));
    return CliRun.of(args.toArray(String[]::new));
  }

  private CliRun register(String... dp) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "dataset",
                "register",
                "--node",
                "http://127.0.0.1:9",
                "--key",
                dir.resolve("none.key").toString(),
                "--id",
                "ward",
                "--embedded",
                "--schema",
                "fashion-mnist",
                "--licence",
                "CC-BY-4.0",
                "--consent",
                "research"));
    args.addAll(List.of(dp));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static void refused(CliRun run, String reason) {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains(reason);
  }

  @Test
  void badDpOptionsOfJobCreateAreRefusedWithTheReason() {
    refused(create("--dp-epsilon", "0"), "--dp-epsilon must be in (0, 100]");
    refused(create("--dp-epsilon", "-1"), "--dp-epsilon must be in (0, 100]");
    refused(create("--dp-epsilon", "101"), "--dp-epsilon must be in (0, 100]");
    refused(create("--dp-epsilon", "3", "--dp-delta", "0"), "--dp-delta must be in (0, 0.01]");
    refused(create("--dp-epsilon", "3", "--dp-delta", "0.5"), "--dp-delta must be in (0, 0.01]");
    refused(create("--dp-epsilon", "3", "--dp-clip", "0"), "--dp-clip must be in (0, 1000]");
    refused(
        create("--dp-epsilon", "3", "--dp-sample-rate", "1.5"),
        "--dp-sample-rate must be in (0, 1]");
    refused(create("--dp-epsilon", "3", "--dp-steps", "0"), "--dp-steps must be 1-100000");
    refused(create("--dp-noise", "-1"), "--dp-noise must be above 0");
    refused(create("--dp-epsilon", "3", "--dp-noise", "1.1"), "not both");
    refused(create("--dp-clip", "1"), "need --dp-epsilon or --dp-noise");
    // sigma 0.01: below what the accountant prices, refused as the chain would.
    refused(create("--dp-noise", "0.01"), "the privacy accountant refuses these DP options");
  }

  @Test
  void aDpJobWithADistanceRankingStrategyIsRefusedWithTheReason() {
    refused(
        create("--dp-epsilon", "3", "--strategy", "multi-krum:3"),
        "--strategy multi-krum:3 with DP: multi-krum ranks updates by their distances, which"
            + " DP-SGD's noise dominates");
    refused(create("--dp-noise", "1.1", "--strategy", "krum"), "use dp-bounded");
    // Without DP, Multi-Krum is fine; with DP, a norm-bounded strategy is.
    for (CliRun run :
        List.of(
            create("--strategy", "multi-krum:3"),
            create("--dp-epsilon", "3", "--strategy", "fedavg+clip:2"))) {
      assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
      assertThat(run.err()).contains("none.key");
    }
  }

  @Test
  void dpBoundedAndDpEvidenceNeedADpJobAndAFixedLearningRate() {
    for (String strategy : List.of("dp-bounded", "dp-evidence")) {
      refused(
          create("--strategy", strategy, "--lr", "0.5"), "needs a job with differential privacy");
      refused(
          create("--dp-epsilon", "3", "--strategy", strategy),
          "--strategy " + strategy + " needs --lr");
      refused(
          create("--dp-epsilon", "3", "--lr", "0.5", "--strategy", strategy + "+clip:2"),
          "drop the +clip");
      for (CliRun run :
          List.of(
              create("--dp-epsilon", "3", "--lr", "0.5", "--strategy", strategy),
              create("--dp-noise", "1.1", "--lr", "0.5", "--strategy", strategy + ":1e-4"))) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).contains("none.key");
      }
    }
  }

  @Test
  void aDpJobWithoutLrFixesTheDpDefaultRateAndAPlainJobLeavesItToTheOwners() {
    DpParams halfClip = DpParams.newBuilder().setClipNormMicros(500_000).build();

    assertThat(JobCreateCommand.learningRateMicros(null, Optional.of(halfClip)))
        .isEqualTo(Math.round(DpDefaults.learningRate(0.05f, 0.5) * 1e6));
    assertThat(JobCreateCommand.learningRateMicros(0.3, Optional.of(halfClip))).isEqualTo(300_000);
    assertThat(JobCreateCommand.learningRateMicros(null, Optional.empty())).isZero();
    // A clip norm so small that the derived rate is past the chain's limit is refused, named.
    refused(
        create("--dp-epsilon", "3", "--dp-clip", "0.00001"),
        "(from --dp-clip) must be between 0.000001 and 10");
  }

  @Test
  void aDpJobFallsAlongTheDpDefaultScheduleAndAPlainJobKeepsItsRate() {
    JobCreateCommand command = new JobCreateCommand();
    assertThat(command.learningRateSchedule(null, true)).isEqualTo(DpDefaults.SCHEDULE);
    assertThat(command.learningRateSchedule(null, false)).isEmpty();
  }

  @Test
  void aBadLrScheduleIsRefusedWithTheReasonBeforeAnythingIsSigned() {
    refused(
        create("--lr-schedule", "linear"),
        "--lr-schedule: bad learning-rate schedule 'linear': unknown schedule 'linear'");
    refused(
        create("--dp-epsilon", "3", "--lr-schedule", "cosine:1.5"),
        "the final fraction must be in [0, 1], got 1.5");
    refused(create("--lr-schedule", "exp:0"), "the factor per round must be in (0, 1], got 0");
    refused(create("--lr-schedule", "exp:"), "--lr-schedule: bad learning-rate schedule 'exp:'");
    // Learning reads 1e-1, the chain takes plain decimals only: refused here as it would be there.
    refused(
        create("--lr-schedule", "exp:1e-1"),
        "--lr-schedule: the chain refuses it: learning_rate_schedule 'exp:1e-1' is not valid: the"
            + " factor per round must be a plain decimal");
    refused(create("--lr-schedule", "cosine:0." + "1".repeat(24)), "is longer than 32 characters");
    for (CliRun run :
        List.of(
            create("--lr-schedule", " COSINE:0.1 "),
            create("--dp-epsilon", "3", "--lr-schedule", "exp:0.9"),
            create("--dp-noise", "1.1", "--lr-schedule", "constant"))) {
      assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
      assertThat(run.err()).contains("none.key");
    }
  }

  @Test
  void goodDpOptionsDeriveTheNoiseAndGoOnToTheKey() {
    for (CliRun run :
        List.of(
            create("--dp-epsilon", "3", "--dp-delta", "1e-5"),
            create("--dp-noise", "1.1", "--dp-clip", "2", "--dp-sample-rate", "0.02"))) {
      assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
      assertThat(run.err()).contains("none.key");
    }
  }

  @Test
  void badBudgetsOfDatasetRegisterAreRefusedWithTheReason() {
    refused(register("--dp-epsilon", "0"), "--dp-epsilon must be in (0, 100]");
    refused(register("--dp-epsilon", "1000"), "--dp-epsilon must be in (0, 100]");
    refused(register("--dp-epsilon", "8", "--dp-delta", "-1e-5"), "--dp-delta must be in");
    refused(register("--dp-epsilon", "8", "--dp-delta", "0.2"), "--dp-delta must be in");
    refused(register("--dp-delta", "1e-5"), "--dp-delta needs --dp-epsilon");
  }
}
