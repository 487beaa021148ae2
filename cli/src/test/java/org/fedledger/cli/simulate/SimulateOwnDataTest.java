package org.fedledger.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code fedledger simulate --data FILE.csv --label COLUMN}: a user's own table, both tasks. */
class SimulateOwnDataTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = new CommandLine(new SimulateCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  /** 200 rows: two numeric features, a class (sign of a + b) and a value 3a − 2b + 1. */
  private Path table() throws IOException {
    SplittableRandom random = new SplittableRandom(8);
    StringBuilder csv = new StringBuilder("a,b,kind,value\n");
    for (int i = 0; i < 200; i++) {
      double a = random.nextDouble() * 10;
      double b = random.nextDouble() * 10;
      csv.append(
          String.format(
              Locale.ROOT, "%.3f,%.3f,%s,%.3f%n", a, b, a > b ? "up" : "down", 3 * a - 2 * b + 1));
    }
    Path file = dir.resolve("table.csv");
    Files.writeString(file, csv);
    return file;
  }

  @Test
  void aClassifierOnACsvWritesItsMetricsToTheSummaryAndRoundsCsv() throws Exception {
    Path outDir = dir.resolve("sim");
    Path data = table();
    // kind is the label; value is then a numeric feature too, so drop it: a second table.
    List<String> lines = Files.readAllLines(data);
    StringBuilder twoFeatures = new StringBuilder();
    for (String line : lines) {
      twoFeatures.append(line, 0, line.lastIndexOf(',')).append('\n');
    }
    Path classes = dir.resolve("classes.csv");
    Files.writeString(classes, twoFeatures);
    int code =
        run(
            "--data", classes.toString(),
            "--label", "kind",
            "--clients", "3",
            "--rounds", "3",
            "--model", "logreg",
            "--local-epochs", "3",
            "--batch", "8",
            "--lr", "0.2",
            "--threads", "1",
            "--out", outDir.toString());
    assertThat(code).as(err.toString()).isZero();
    JsonNode summary = new ObjectMapper().readTree(outDir.resolve("summary.json").toFile());
    JsonNode metrics = summary.get("final_metrics");
    assertThat(metrics.get("accuracy").asDouble())
        .isEqualTo(summary.get("final_accuracy").asDouble())
        .isGreaterThan(0.85);
    assertThat(metrics.has("macro_f1") && metrics.has("auc")).isTrue();
    assertThat(summary.get("config").get("task").asText()).isEqualTo("classification");
    assertThat(summary.get("config").get("schema_hash").asText()).hasSize(64);
    List<String> csv = Files.readAllLines(outDir.resolve("rounds.csv"));
    assertThat(csv.get(0)).endsWith(",macro_f1,auc");
    assertThat(csv.get(3).split(",", -1)).hasSize(csv.get(0).split(",").length);
    assertThat(out.toString()).contains("final accuracy").contains("macro_f1").contains("auc");
  }

  @Test
  void aRegressionOnACsvReportsRmseMaeAndR2AndNoAccuracy() throws Exception {
    Path outDir = dir.resolve("reg");
    Path data = table();
    Path linear = dir.resolve("value.csv");
    // The regression's features are a and b only.
    StringBuilder noKind = new StringBuilder();
    for (String line : Files.readAllLines(data)) {
      String[] f = line.split(",", -1);
      noKind.append(f[0]).append(',').append(f[1]).append(',').append(f[3]).append('\n');
    }
    Files.writeString(linear, noKind);
    int code =
        run(
            "--data", linear.toString(),
            "--label", "value",
            "--task", "regression",
            "--clients", "3",
            "--rounds", "4",
            "--model", "linear",
            "--local-epochs", "3",
            "--lr", "0.05",
            "--partition", "dirichlet:0.5",
            "--threads", "1",
            "--out", outDir.toString());
    assertThat(code).as(err.toString()).isZero();
    JsonNode summary = new ObjectMapper().readTree(outDir.resolve("summary.json").toFile());
    assertThat(summary.has("final_accuracy")).isFalse();
    JsonNode metrics = summary.get("final_metrics");
    assertThat(metrics.get("r2").asDouble()).isGreaterThan(0.95);
    assertThat(metrics.has("rmse") && metrics.has("mae")).isTrue();
    assertThat(Files.readAllLines(outDir.resolve("rounds.csv")).get(0)).endsWith(",rmse,mae,r2");
    assertThat(out.toString()).contains("final rmse");
  }

  @Test
  void aCsvWithoutLabelOrAnUnknownColumnIsAnOptionErrorNamingWhatToDo() throws Exception {
    Path data = table();
    assertThat(run("--data", data.toString(), "--clients", "2", "--rounds", "1")).isEqualTo(2);
    assertThat(err.toString()).contains("--label COLUMN");
    assertThat(run("--data", data.toString(), "--label", "nope", "--clients", "2", "--rounds", "1"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("nope");
    assertThat(run("--label", "kind", "--clients", "2", "--rounds", "1")).isEqualTo(2);
    assertThat(err.toString()).contains("describe --data");
    assertThat(
            run(
                "--data", dir.resolve("missing.csv").toString(),
                "--label", "kind",
                "--clients", "2",
                "--rounds", "1"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("does not exist");
  }

  @Test
  void aModelSpecFileMustFitTheData() throws Exception {
    Path data = table();
    Path spec = dir.resolve("model.json");
    Files.writeString(spec, "{\"type\":\"logreg\",\"inputShape\":[7],\"classes\":2}");
    int code =
        run(
            "--data", data.toString(),
            "--label", "kind",
            "--model", spec.toString(),
            "--clients", "2",
            "--rounds", "1");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("takes inputShape [7]");
  }
}
