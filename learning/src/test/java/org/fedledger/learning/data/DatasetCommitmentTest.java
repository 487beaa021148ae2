package org.fedledger.learning.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.hash.Hash;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCommitmentTest {
  @TempDir Path dir;

  private Hash commit(String csv, DatasetSchema schema) throws IOException {
    Path file = dir.resolve("d" + csv.hashCode() + ".csv");
    Files.writeString(file, csv);
    return DatasetCommitment.of(DatasetReader.read(file, schema), schema).hash();
  }

  @Test
  void changesWhenOneValueChangesAndNotWhenColumnsMove() throws IOException {
    String csv = "a,b,y\n1,x,yes\n2,z,no\n";
    Path file = dir.resolve("d.csv");
    Files.writeString(file, csv);
    DatasetSchema schema = SchemaInference.infer(file, List.of("y"), Optional.empty());
    Hash base = commit(csv, schema);
    assertThat(commit("y,b,a\nyes,x,1\nno,z,2\n", schema)).isEqualTo(base);
    assertThat(commit("a,b,y\n1,x,yes\n2.5,z,no\n", schema)).isNotEqualTo(base);
    assertThat(commit("a,b,y\n1,z,yes\n2,z,no\n", schema)).isNotEqualTo(base);
    assertThat(commit("a,b,y\n1,x,no\n2,z,no\n", schema)).isNotEqualTo(base);
    assertThat(DatasetCommitment.of(DatasetReader.read(file, schema), schema).samples())
        .isEqualTo(2);
  }

  @Test
  void changesWhenOnePixelChanges() throws IOException {
    ImageFolderReaderTest.image(dir.resolve("img/a/1.png"), 2, 2, 0x000000, "png");
    ImageFolderReaderTest.image(dir.resolve("img/b/1.png"), 2, 2, 0xffffff, "png");
    DatasetSchema schema = SchemaInference.infer(dir.resolve("img"), List.of(), Optional.empty());
    Hash before =
        DatasetCommitment.of(DatasetReader.read(dir.resolve("img"), schema), schema).hash();
    ImageFolderReaderTest.image(dir.resolve("img/a/1.png"), 2, 2, 0x010000, "png");
    Hash after =
        DatasetCommitment.of(DatasetReader.read(dir.resolve("img"), schema), schema).hash();
    assertThat(after).isNotEqualTo(before);
  }

  @Test
  void refusesDataReadUnderAnotherSchema() throws IOException {
    Path file = dir.resolve("d.csv");
    Files.writeString(file, "a,y\n1,0\n2,1\n");
    DatasetSchema schema = SchemaInference.infer(file, List.of("y"), Optional.empty());
    LabeledData other = LabeledData.of(new float[4], new int[] {2}, new int[] {0, 1}, 2);
    assertThatThrownBy(() -> DatasetCommitment.of(other, schema))
        .hasMessageContaining("not read under this schema");
  }
}
