package org.fedledger.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.fedledger.learning.privacy.DpDefaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class SimulateDpTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... dpArgs) {
    String[] base = {
      "--clients", "4",
      "--rounds", "2",
      "--model", "logreg",
      "--train-limit", "800",
      "--test-limit", "200",
      "--batch", "20",
      "--lr", "0.2",
      "--out", dir.resolve("sim").toString(),
      "--quiet"
    };
    String[] args = new String[base.length + dpArgs.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(dpArgs, 0, args, base.length, dpArgs.length);
    CommandLine cli = new CommandLine(new SimulateCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void aTargetEpsilonIsMetAndPrinted() {
    int code = run("--dp-clip", "1", "--dp-epsilon", "2", "--dp-delta", "1e-5", "--dp-batch", "20");

    assertThat(code).as(err.toString()).isZero();
    // 200 records per client, DP batch 20: q = 0.1, 10 steps per round, 20 steps in all.
    assertThat(out.toString())
        .containsPattern("privacy: \\(ε = (1\\.99\\d|2\\.000), δ = 1\\.00e-05\\)-DP")
        .contains("after 20 steps")
        .contains("q = 0.1000, 10 steps per round")
        // --lr 0.2 is the plain rate: DP-SGD's is the default rule's, on --dp-batch 20.
        .contains(
            "DP-SGD trains at learning rate "
                + DpDefaults.STEP_FACTOR * 0.2 / 1
                + " ("
                + DpDefaults.SCHEDULE)
        .contains("), expected batch 20 (--dp-lr")
        .contains("final accuracy");
  }

  @Test
  void aTargetEpsilonAloneTrainsWithTheDefaultClipNormAndDpBatch() {
    int code = run("--dp-epsilon", "2");

    assertThat(code).as(err.toString()).isZero();
    // --batch 20, so the DP batch is the minimum, 128 of 200 records per client: q = 0.64, 2 steps.
    assertThat(DpDefaults.MIN_BATCH).isEqualTo(128);
    assertThat(out.toString())
        .contains("C = " + DpDefaults.CLIP_NORM)
        .contains("q = 0.6400, 2 steps per round")
        .contains("expected batch 128")
        .contains("final accuracy");
  }

  @Test
  void theDpDefaultsDeriveFromThePlainBatchAndRateAndGivenOnesWin() {
    DpOptions dp = new DpOptions();
    new CommandLine(dp).parseArgs("--dp-epsilon", "3", "--dp-clip", "0.5");
    assertThat(dp.batchSize(32)).isEqualTo(DpDefaults.MIN_BATCH);
    assertThat(dp.batchSize(500)).isEqualTo(500);
    assertThat(dp.learningRate(0.1)).isEqualTo(DpDefaults.STEP_FACTOR * 0.1 / 0.5);
    assertThat(dp.schedule(null)).isEqualTo(DpDefaults.SCHEDULE);
    assertThat(dp.schedule("exp:0.8")).isEqualTo("exp:0.8");

    DpOptions given = new DpOptions();
    new CommandLine(given)
        .parseArgs(
            "--dp-epsilon",
            "3",
            "--dp-batch",
            "50",
            "--dp-lr",
            "0.7",
            "--dp-lr-schedule",
            "exp:0.9");
    assertThat(given.batchSize(32)).isEqualTo(50);
    assertThat(given.learningRate(0.1)).isEqualTo(0.7);
    assertThat(given.schedule(null)).isEqualTo("exp:0.9");
    assertThat(given.schedule("EXP:0.90")).isEqualTo("exp:0.9");
  }

  @Test
  void underDpThePlainScheduleOptionIsTheDpRunsScheduleAsForJobCreate() {
    int code = run("--dp-epsilon", "2", "--lr-schedule", "exp:0.9");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("DP-SGD trains at learning rate " + DpDefaults.STEP_FACTOR * 0.2 + " (exp:0.9)")
        .contains("final accuracy");
  }

  @Test
  void anExplicitNoiseGivesItsEpsilon() {
    int code = run("--dp-clip", "0.5", "--dp-noise", "1.2");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("σ = 1.2000, C = 0.500");
  }

  @Test
  void anEpsilonNoNoiseCanReachIsABadOptionRefusedBeforeAnyRound() {
    // Known only once the data is split (q follows from the clients' data size), and still a bad
    // option: exit code 2 with the accountant's reason, not 1 (a failed run).
    int code = run("--dp-clip", "1", "--dp-epsilon", "0.000001");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("error: no noise multiplier up to 1000 reaches epsilon 1 micros")
        .contains("allow a larger epsilon, fewer steps or a lower sample rate");
    assertThat(out.toString()).doesNotContain("final accuracy").doesNotContain("privacy:");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--dp-lr 0.5|give exactly one of --dp-noise SIGMA",
        "--dp-epsilon 3 --dp-batch 0|--dp-batch must be at least 1, got 0",
        "--dp-epsilon 3 --dp-lr -1|--dp-lr must be a positive number, got -1.0",
        "--dp-epsilon 3 --dp-lr-schedule sometimes|bad learning-rate schedule 'sometimes'",
        "--dp-epsilon 3 --lr-schedule exp:0.9 --dp-lr-schedule cosine|--lr-schedule exp:0.9 and"
            + " --dp-lr-schedule cosine differ: a DP run trains with one schedule",
        "--dp-epsilon 3 --lr-schedule sometimes|bad learning-rate schedule 'sometimes'",
        "--dp-clip 1|give exactly one of --dp-noise SIGMA",
        "--dp-clip 1 --dp-noise 1 --dp-epsilon 3|give exactly one of --dp-noise SIGMA",
        "--dp-clip 0 --dp-noise 1|--dp-clip must be a positive number",
        "--dp-clip 1 --dp-noise 0.01|--dp-noise must be between 0.1 and 1000",
        "--dp-clip 1 --dp-epsilon -2|--dp-epsilon must be positive",
        "--dp-clip 1 --dp-epsilon 3 --dp-delta 1|--dp-delta must lie strictly between 0 and 1",
        "--dp-clip 1 --dp-epsilon 3 --dp-rate 1.5|--dp-rate must be in (0, 1]",
      })
  void badPrivacyOptionsAreRefusedWithTheReason(String options, String reason) {
    int code = run(options.split(" "));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains(reason);
  }
}
