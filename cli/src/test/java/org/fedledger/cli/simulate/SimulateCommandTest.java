package org.fedledger.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class SimulateCommandTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = new CommandLine(new SimulateCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void writesCsvPlotAndJsonSummary() throws Exception {
    Path outDir = dir.resolve("sim");
    Path json = dir.resolve("report/summary.json");
    int code =
        run(
            "--clients", "4",
            "--rounds", "2",
            "--model", "logreg",
            "--train-limit", "1200",
            "--test-limit", "500",
            "--lr", "0.1",
            "--lr-schedule", "cosine:0.1",
            "--prox-mu", "0.01",
            "--strategy", "median",
            "--malicious", "0.25",
            "--attack", "sign-flip",
            "--seed", "3",
            "--out", outDir.toString(),
            "--json", json.toString());
    assertThat(code).as(err.toString()).isZero();

    List<String> csv = Files.readAllLines(outDir.resolve("rounds.csv"));
    assertThat(csv).hasSize(3);
    assertThat(csv.get(0)).startsWith("round,loss,accuracy,seconds,accepted,rejected");
    assertThat(csv.get(1)).startsWith("1,");
    assertThat(csv.get(2)).startsWith("2,");

    byte[] png = Files.readAllBytes(outDir.resolve("accuracy.png"));
    assertThat(png).hasSizeGreaterThan(1000);
    assertThat(new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");

    JsonNode summary = new ObjectMapper().readTree(json.toFile());
    assertThat(summary.get("final_accuracy").asDouble()).isBetween(0.3, 1.0);
    assertThat(summary.get("seconds").asDouble()).isPositive();
    assertThat(summary.get("rounds")).hasSize(2);
    JsonNode first = summary.get("rounds").get(0);
    assertThat(first.get("round").asInt()).isEqualTo(1);
    assertThat(first.has("accuracy") && first.has("loss") && first.has("seconds")).isTrue();
    JsonNode config = summary.get("config");
    assertThat(config.get("clients").asInt()).isEqualTo(4);
    assertThat(config.get("strategy").asText()).isEqualTo("median");
    assertThat(config.get("attack").asText()).isEqualTo("sign-flip");
    assertThat(config.get("malicious").asDouble()).isEqualTo(0.25);
    assertThat(config.get("scoring").asText()).isEqualTo("cosine");
    assertThat(config.get("lr_schedule").asText()).isEqualTo("cosine:0.1");
    assertThat(config.get("prox_mu").asDouble()).isEqualTo(0.01);
    assertThat(summary.get("malicious_clients")).hasSize(1);

    assertThat(out.toString()).contains("final accuracy").contains("rounds.csv");
    assertThat(err.toString()).contains("round 2/2");
  }

  @Test
  void aCheckpointedRunContinuesWhereItStoppedAndRefusesAnotherConfiguration() throws Exception {
    Path outDir = dir.resolve("sim");
    Path checkpoint = dir.resolve("checkpoint");
    String[] common = {
      "--clients",
      "3",
      "--model",
      "logreg",
      "--train-limit",
      "300",
      "--test-limit",
      "200",
      "--out",
      outDir.toString(),
      "--checkpoint",
      checkpoint.toString(),
      "--quiet"
    };
    assertThat(run(concat(common, "--rounds", "1"))).as(err.toString()).isZero();
    assertThat(run(concat(common, "--rounds", "2"))).as(err.toString()).isZero();
    List<String> csv = Files.readAllLines(outDir.resolve("rounds.csv"));
    assertThat(csv).hasSize(3);
    assertThat(csv.get(1)).startsWith("1,");
    assertThat(csv.get(2)).startsWith("2,");

    assertThat(run(concat(common, "--rounds", "3", "--seed", "5"))).isEqualTo(2);
    assertThat(err.toString()).contains("another configuration");
    assertThat(Files.readAllLines(outDir.resolve("rounds.csv"))).isEqualTo(csv);
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--rounds 2",
        "--clients 2",
        "--clients x --rounds 2",
        "--clients 0 --rounds 2",
        "--clients 2 --rounds 2 --fraction 0",
        "--clients 2 --rounds 2 --fraction 1.5",
        "--clients 2 --rounds 2 --strategy fedsgd",
        "--clients 2 --rounds 2 --strategy trimmed-mean:0.7",
        "--clients 2 --rounds 2 --attack backdoor",
        "--clients 2 --rounds 2 --malicious 2",
        "--clients 2 --rounds 2 --lr -1",
        "--clients 2 --rounds 2 --lr-schedule step:10",
        "--clients 2 --rounds 2 --lr-schedule exp:1.5",
        "--clients 2 --rounds 2 --prox-mu -1",
        "--clients 2 --rounds 2 --model resnet",
        "--clients 2 --rounds 2 --partition zipf",
        "--clients 2 --rounds 2 --data /nonexistent/fedledger-data",
        "--clients 2 --rounds 2 --scoring shapley",
        "--clients 2 --rounds 2 --workers 0",
        "--clients 2 --rounds 2 --no-such-option"
      })
  void badOptionsExitWithCodeTwoAndSayWhatIsWrong(String args) {
    int code = run(args.split(" "));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).isNotBlank();
    assertThat(dir.resolve("simulation")).doesNotExist();
  }

  @Test
  void oneAndThreeWorkersWriteTheSameRoundsCsvButForTheSeconds() throws Exception {
    List<List<String>> csvs = new java.util.ArrayList<>();
    for (String workers : new String[] {"1", "3"}) {
      Path outDir = dir.resolve("workers-" + workers);
      int code =
          run(
              "--clients", "5",
              "--rounds", "2",
              "--model", "logreg",
              "--partition", "dirichlet:0.5",
              "--train-limit", "1500",
              "--test-limit", "1200",
              "--malicious", "0.2",
              "--attack", "label-flip",
              "--workers", workers,
              "--out", outDir.toString());
      assertThat(code).as(err.toString()).isZero();
      List<String> withoutSeconds = new java.util.ArrayList<>();
      for (String line : Files.readAllLines(outDir.resolve("rounds.csv"))) {
        List<String> cells = new java.util.ArrayList<>(List.of(line.split(",", -1)));
        cells.remove(3); // round,loss,accuracy,seconds,...
        withoutSeconds.add(String.join(",", cells));
      }
      csvs.add(withoutSeconds);
    }
    assertThat(csvs.get(0)).hasSize(3);
    assertThat(csvs.get(1)).isEqualTo(csvs.get(0));
  }

  @Test
  void aWorkerCountBelowOneIsRefusedWithItsValue() {
    assertThat(run("--clients", "2", "--rounds", "1", "--workers", "-1")).isEqualTo(2);
    assertThat(err.toString()).contains("--workers must be at least 1, got -1");
  }

  @Test
  void aBadLearningRateScheduleIsRefusedWithTheValidForms() {
    assertThat(run("--clients", "2", "--rounds", "1", "--lr-schedule", "exp:2")).isEqualTo(2);
    assertThat(err.toString()).contains("exp:2").contains("valid: constant, exp:G");
  }

  @Test
  void unknownStrategyErrorListsTheValidNames() {
    assertThat(run("--clients", "2", "--rounds", "1", "--strategy", "fedsgd")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown strategy 'fedsgd'").contains("multi-krum:M");
  }
}
