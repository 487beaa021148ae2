package org.fedledger.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.fedledger.testkit.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class LedgerBenchCommandTest {
  @TempDir Path dir;

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void oneNodeCommitsEveryTransferAndWritesTheResult() throws Exception {
    Path json = dir.resolve("out/bench.json");

    int exit =
        new CommandLine(new BenchCommand())
            .execute(
                "ledger",
                "--base-port",
                String.valueOf(FreePorts.consecutive(1)),
                "--nodes",
                "1",
                "--txs",
                "2000",
                "--accounts",
                "100",
                "--warmup-txs",
                "400",
                "--json",
                json.toString());

    assertThat(exit).isZero();
    String out = Files.readString(json);
    assertThat(out)
        .contains("\"nodes\":1", "\"txs\":2000", "\"tps\":", "\"p50_ms\":", "\"p99_ms\":")
        .contains("\"warmup_txs\":400");
    assertThat(out).doesNotContain("NaN", "Infinity");
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void warmsUpInRoundsUntilTheJitSettlesThenMeasures() throws Exception {
    Path json = dir.resolve("bench.json");
    Run run =
        runCapturingStderr(
            "ledger",
            "--base-port",
            String.valueOf(FreePorts.consecutive(1)),
            "--txs",
            "1000",
            "--accounts",
            "50",
            "--warmup-round-txs",
            "300",
            "--warmup-max-seconds",
            "10",
            "--json",
            json.toString());

    assertThat(run.exit()).isZero();
    JsonNode result = new ObjectMapper().readTree(Files.readString(json));
    long warmup = result.get("warmup_txs").asLong();
    assertThat(warmup % 300).as("whole rounds").isZero();
    assertThat(warmup).isGreaterThanOrEqualTo(300L);
    assertThat(result.get("txs").asInt()).isEqualTo(1000);
    assertThat(run.stderr())
        .contains("warm-up round 1: 300 transfers", "the JIT compiling")
        .containsPattern("the JIT has settled after \\d+ transfers|the JIT is still busy after")
        .contains("signatures verified by");
    if (run.stderr().contains("the JIT has settled")) {
      assertThat(warmup)
          .as("settled only after %d quiet rounds in a row", LedgerBenchCommand.JIT_QUIET_ROUNDS)
          .isGreaterThanOrEqualTo(300L * LedgerBenchCommand.JIT_QUIET_ROUNDS);
    }
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void withTlsTheValidatorsRunRaftOverMutualTlsAndCommitEveryTransfer() throws Exception {
    Path json = dir.resolve("bench-tls.json");
    Run run =
        runCapturingStderr(
            "ledger",
            "--tls",
            "--base-port",
            String.valueOf(FreePorts.consecutive(6)),
            "--nodes",
            "2",
            "--txs",
            "600",
            "--accounts",
            "50",
            "--warmup-txs",
            "0",
            "--json",
            json.toString());

    assertThat(run.exit()).as(run.stderr()).isZero();
    JsonNode result = new ObjectMapper().readTree(Files.readString(json));
    assertThat(result.get("tls").asBoolean()).isTrue();
    assertThat(result.get("txs").asInt()).isEqualTo(600);
    // Each node says how its Raft server was configured when it starts: both with TLS.
    assertThat(run.stderr().split("\n"))
        .filteredOn(line -> line.contains("starting node node-"))
        .hasSize(2)
        .allMatch(line -> line.contains("Raft over mutual TLS"), "Raft over mutual TLS");
  }

  @ParameterizedTest
  @CsvSource({
    "--warmup-round-txs, 0, at least 1",
    "--warmup-max-seconds, 0, at least 1",
    "--base-port, 80, 1024-65135"
  })
  void refusesAWarmUpThatCannotRunAndWritesNothing(String option, String value, String rule) {
    Run run =
        runCapturingStderr(
            "ledger", "--txs", "10", option, value, "--json", dir.resolve("x.json").toString());

    assertThat(run.exit()).isNotZero();
    assertThat(run.stderr()).contains(option + " must be " + rule + ", got " + value);
    assertThat(dir.resolve("x.json")).doesNotExist();
  }

  @Test
  void refusesAnEmptyRun() {
    int exit =
        new CommandLine(new BenchCommand())
            .execute("ledger", "--txs", "0", "--json", dir.resolve("x.json").toString());

    assertThat(exit).isNotZero();
    assertThat(dir.resolve("x.json")).doesNotExist();
  }

  /** What a command run printed on stderr, and its exit code. */
  private record Run(int exit, String stderr) {}

  private static Run runCapturingStderr(String... args) {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    try {
      System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
      int exit = new CommandLine(new BenchCommand()).execute(args);
      return new Run(exit, log.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(stderr);
    }
  }
}
