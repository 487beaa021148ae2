package org.fedledger.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fedledger.cli.testing.CliRun;
import org.fedledger.learning.data.SchemaInference;
import org.fedledger.learning.data.schema.DatasetSchemaJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema checks of job create, which refuse before any key is read or node contacted. */
class JobCreateSchemaTest {
  @TempDir Path dir;

  private CliRun create(String schema, String model) {
    return CliRun.of(
        "job",
        "create",
        "--node",
        "http://127.0.0.1:9",
        "--key",
        dir.resolve("none.key").toString(),
        "--blobs",
        "http://127.0.0.1:9",
        "--schema",
        schema,
        "--model",
        model,
        "--rounds",
        "1",
        "--participants-per-round",
        "1",
        "--strategy",
        "fedavg",
        "--reward",
        "1",
        "--round-blocks",
        "10",
        "--required-use",
        "x");
  }

  @Test
  void refusesAModelThatDoesNotFitTheSchema() throws Exception {
    Path csv = dir.resolve("d.csv");
    Files.writeString(csv, "a,b,y\n1,2,no\n3,4,yes\n");
    Path schema = dir.resolve("d.schema.json");
    DatasetSchemaJson.write(SchemaInference.infer(csv, List.of("y"), Optional.empty()), schema);
    CliRun run = create(schema.toString(), "logreg");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("takes 784 inputs", "2 values [2] and 2 classes");
  }

  @Test
  void refusesAMissingSchemaFile() {
    CliRun run = create(dir.resolve("nope.json").toString(), "logreg");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--schema", "no such schema file");
  }

  @Test
  void acceptsAFittingSchemaAndGoesOnToTheKey() {
    CliRun run = create("fashion-mnist", "logreg");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.err()).contains("none.key");
  }
}
