package org.fedledger.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fedledger.learning.privacy.DpDefaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class PrivacyBenchCommandTest {
  @TempDir Path dir;

  @Test
  void fewerThanOneTimedEpochIsABadOptionAndWritesNothing() {
    Path json = dir.resolve("privacy.json");
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new BenchCommand());
    cli.setErr(new PrintWriter(err));

    int exit = cli.execute("privacy", "--timing-runs", "0", "--json", json.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--timing-runs must be at least 1");
    assertThat(Files.exists(json)).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--dp-batch|0|batch size must be at least 1",
        "--dp-lr-schedule|sometimes|bad learning-rate schedule 'sometimes'",
        "--clip|0|DP clip norm must be positive"
      })
  void badDpDefaultsOverridesAreBadOptionsAndWriteNothing(
      String option, String value, String reason) {
    Path json = dir.resolve("privacy.json");
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new BenchCommand());
    cli.setErr(new PrintWriter(err));

    int exit = cli.execute("privacy", option, value, "--json", json.toString());

    assertThat(exit).as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).contains(reason);
    assertThat(Files.exists(json)).isFalse();
  }

  @Test
  void theDpRunTrainsWithTheDpDefaultsDerivedFromThePlainBatchAndRate() throws Exception {
    Path json = dir.resolve("privacy.json");
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new BenchCommand());
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));

    int exit =
        cli.execute(
            "privacy",
            "--clients",
            "2",
            "--rounds",
            "1",
            "--train-limit",
            "200",
            "--test-limit",
            "50",
            "--batch",
            "10",
            "--lr",
            "0.1",
            "--clip",
            "0.5",
            "--timing-runs",
            "1",
            "--json",
            json.toString());

    assertThat(exit).as(err.toString()).isZero();
    JsonNode out = new ObjectMapper().readTree(json.toFile());
    assertThat(out.path("lr_plain").asDouble()).isEqualTo(0.1);
    assertThat(out.path("lr_private").asDouble()).isEqualTo(DpDefaults.STEP_FACTOR * 0.1 / 0.5);
    assertThat(out.path("batch_private").asInt()).isEqualTo(DpDefaults.MIN_BATCH);
    // 100 records per owner, fewer than the DP batch: every record in every step, q = 1.
    assertThat(out.path("sample_rate").asDouble()).isEqualTo(1.0);
    assertThat(out.path("lr_schedule_private").asText()).startsWith(DpDefaults.SCHEDULE);
  }
}
