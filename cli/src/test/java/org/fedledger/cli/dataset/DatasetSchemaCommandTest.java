package org.fedledger.cli.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fedledger.cli.testing.CliRun;
import org.fedledger.learning.data.CsvReader;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.schema.DatasetSchemaJson;
import org.fedledger.learning.data.schema.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetSchemaCommandTest {
  @TempDir Path dir;

  @Test
  void writesASchemaThatReadsTheTableItCameFrom() throws Exception {
    Path csv = dir.resolve("patients.csv");
    Files.writeString(csv, "age,sex,outcome\n30,f,yes\n41,m,no\n,f,no\n");
    Path out = dir.resolve("schema.json");
    CliRun run =
        CliRun.of(
            "dataset",
            "schema",
            "--data",
            csv.toString(),
            "--label",
            "outcome",
            "--out",
            out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    DatasetSchema schema = DatasetSchemaJson.read(out);
    assertThat(run.out())
        .contains(
            "csv, 2 features (1 categorical, 1 with missing values filled), classification into 2"
                + " classes, input shape [3]",
            schema.hash().toHex());
    LabeledData data = CsvReader.read(csv, schema);
    assertThat(data.size()).isEqualTo(3);
    assertThat(data.labels()).containsExactly(1, 0, 0);
  }

  @Test
  void printsARegressionSchemaWhenAsked() throws Exception {
    Path csv = dir.resolve("houses.csv");
    Files.writeString(csv, "rooms,price\n3,100\n4,150\n");
    CliRun run =
        CliRun.of(
            "dataset",
            "schema",
            "--data",
            csv.toString(),
            "--label",
            "price",
            "--task",
            "regression");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(DatasetSchemaJson.parse(run.out()).task()).isEqualTo(Task.REGRESSION);
  }

  @Test
  void refusesMissingLabelBadTaskAndAnExistingOut() throws Exception {
    Path csv = dir.resolve("d.csv");
    Files.writeString(csv, "x,y\n1,a\n2,b\n");
    CliRun noLabel = CliRun.of("dataset", "schema", "--data", csv.toString());
    assertThat(noLabel.exitCode()).isEqualTo(2);
    assertThat(noLabel.err()).contains("--label COLUMN is required");
    CliRun badTask =
        CliRun.of("dataset", "schema", "--data", csv.toString(), "--label", "y", "--task", "x");
    assertThat(badTask.exitCode()).isEqualTo(2);
    assertThat(badTask.err()).contains("use classification or regression");
    CliRun exists =
        CliRun.of(
            "dataset", "schema", "--data", csv.toString(), "--label", "y", "--out", csv.toString());
    assertThat(exists.exitCode()).isEqualTo(2);
    assertThat(exists.err()).contains("exists");
    CliRun wrongColumn = CliRun.of("dataset", "schema", "--data", csv.toString(), "--label", "z");
    assertThat(wrongColumn.exitCode()).isEqualTo(1);
    assertThat(wrongColumn.err()).contains("d.csv:1", "no label column named 'z'");
  }
}
