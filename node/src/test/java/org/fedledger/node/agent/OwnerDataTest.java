package org.fedledger.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fedledger.learning.data.DataFormatException;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.data.SchemaInference;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.schema.DatasetSchemaJson;
import org.fedledger.node.config.DataDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerDataTest {
  @TempDir Path dir;

  @Test
  void readsATableUnderTheSchemaBesideIt() throws Exception {
    Path csv = dir.resolve("patients.csv");
    Files.writeString(csv, "age,outcome\n30,yes\n40,no\n");
    DatasetSchema schema = SchemaInference.infer(csv, List.of("outcome"), Optional.empty());
    DatasetSchemaJson.write(schema, dir.resolve("patients.schema.json"));
    OwnerData.Loaded loaded = OwnerData.load(csv, null);
    assertThat(loaded.schema()).isEqualTo(schema);
    assertThat(loaded.data().labels()).containsExactly(1, 0);
    assertThat(loaded.schemaSource()).endsWith("patients.schema.json");
  }

  @Test
  void aNamedSchemaWinsAndItsRulesAreEnforced() throws Exception {
    Path csv = dir.resolve("d.csv");
    Files.writeString(csv, "age,outcome\n30,yes\n40,no\n");
    Path named = dir.resolve("job-schema.json");
    DatasetSchemaJson.write(
        SchemaInference.infer(csv, List.of("outcome"), Optional.empty()), named);
    Files.writeString(csv, "age,outcome\n30,yes\n40,maybe\n");
    assertThatThrownBy(() -> OwnerData.load(csv, named.toString()))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContainingAll("d.csv:3:2", "class 'maybe'");
  }

  @Test
  void anIdxFolderWithoutASchemaIsFashionMnist() throws Exception {
    LabeledData images =
        LabeledData.of(new float[2 * 28 * 28], new int[] {1, 28, 28}, new int[] {9, 0}, 10);
    Path owner = dir.resolve("owner-0");
    DataDirectory.write(owner, DataDirectory.Part.TRAIN, images);
    OwnerData.Loaded loaded = OwnerData.load(owner, null);
    assertThat(loaded.schema()).isEqualTo(Datasets.FASHION_MNIST_SCHEMA);
    assertThat(loaded.data().labels()).containsExactly(9, 0);
    assertThat(OwnerData.schemaBeside(owner)).isEqualTo(dir.resolve("owner-0.schema.json"));
  }

  @Test
  void refusesDataWithoutASchemaOrThatDoesNotExist() throws Exception {
    Path csv = dir.resolve("d.csv");
    Files.writeString(csv, "a,b\n1,2\n");
    assertThatThrownBy(() -> OwnerData.load(csv, null))
        .hasMessageContainingAll("no schema for this data", "d.schema.json");
    assertThatThrownBy(() -> OwnerData.load(dir.resolve("none.csv"), null))
        .hasMessageContaining("no such data");
    assertThatThrownBy(() -> OwnerData.load(csv, dir.resolve("nope.json").toString()))
        .hasMessageContaining("no such schema file");
  }
}
