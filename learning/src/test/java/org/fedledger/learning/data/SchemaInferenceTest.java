package org.fedledger.learning.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fedledger.learning.data.schema.DataFormat;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.schema.FeatureSpec;
import org.fedledger.learning.data.schema.FeatureType;
import org.fedledger.learning.data.schema.Missing;
import org.fedledger.learning.data.schema.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaInferenceTest {
  @TempDir Path dir;

  private Path csv(String text) throws IOException {
    Path file = dir.resolve("data.csv");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void infersNumericAndCategoricalColumnsMissingRulesAndClasses() throws IOException {
    Path file = csv("age,city,grade\n30,Oslo,10\n,Rome,2\n41,NA,2\n29,Rome,10\n");
    DatasetSchema s = SchemaInference.infer(file, List.of("grade"), Optional.empty());
    assertThat(s.format()).isEqualTo(DataFormat.CSV);
    assertThat(s.features())
        .containsExactly(
            FeatureSpec.numeric("age").withMissing(Missing.MEAN),
            FeatureSpec.categorical("city", List.of("Oslo", "Rome"))
                .withMissing(Missing.constant("Rome")));
    assertThat(s.missingMarkers()).containsExactly("NA");
    assertThat(s.task()).isEqualTo(Task.CLASSIFICATION);
    assertThat(s.label().classes()).containsExactly("2", "10");
    assertThat(s.inputShape()).containsExactly(3);
    assertThat(CsvReader.read(file, s).size()).isEqualTo(4);
  }

  @Test
  void infersRegressionFromFractionalLabelsOrSeveralColumns() throws IOException {
    Path file = csv("x,y,z\n1,0.5,1\n2,1.5,2\n");
    DatasetSchema one = SchemaInference.infer(file, List.of("y"), Optional.empty());
    assertThat(one.task()).isEqualTo(Task.REGRESSION);
    assertThat(one.features())
        .extracting(FeatureSpec::type)
        .containsExactly(FeatureType.NUMERIC, FeatureType.NUMERIC);
    DatasetSchema two = SchemaInference.infer(file, List.of("y", "z"), Optional.empty());
    assertThat(two.outputCount()).isEqualTo(2);
    assertThat(two.featureNames()).containsExactly("x");
    DatasetSchema forced = SchemaInference.infer(file, List.of("z"), Optional.of(Task.REGRESSION));
    assertThat(forced.task()).isEqualTo(Task.REGRESSION);
  }

  @Test
  void infersImageFoldersShapeChannelsAndResizing() throws IOException {
    ImageFolderReaderTest.image(dir.resolve("img/cat/a.png"), 4, 3, 0xff0000, "png");
    ImageFolderReaderTest.image(dir.resolve("img/cat/b.png"), 4, 3, 0xff0000, "png");
    ImageFolderReaderTest.grayImage(dir.resolve("img/dog/c.png"), 8, 8, 9);
    DatasetSchema s = SchemaInference.infer(dir.resolve("img"), List.of(), Optional.empty());
    assertThat(s.format()).isEqualTo(DataFormat.IMAGES);
    assertThat(s.label().classes()).containsExactly("cat", "dog");
    assertThat(s.inputShape()).containsExactly(3, 3, 4);
    assertThat(s.images().resize()).isTrue();
    assertThat(ImageFolderReader.read(dir.resolve("img"), s).size()).isEqualTo(3);
  }

  @Test
  void infersIdxFolders() throws IOException {
    LabeledData d = LabeledData.of(new float[8], new int[] {1, 2, 2}, new int[] {0, 3}, 4);
    IdxWriter.writeImages(d, dir.resolve("train-images-idx3-ubyte"));
    IdxWriter.writeLabels(d, dir.resolve("train-labels-idx1-ubyte"));
    DatasetSchema s = SchemaInference.infer(dir, List.of(), Optional.empty());
    assertThat(s.format()).isEqualTo(DataFormat.IDX);
    assertThat(s.inputShape()).containsExactly(1, 2, 2);
    assertThat(s.label().classes()).containsExactly("0", "1", "2", "3");
  }

  @Test
  void refusesWhatItCannotPropose() throws IOException {
    Path file = csv("x,y\n1,a\n2,a\n");
    assertThatThrownBy(() -> SchemaInference.infer(file, List.of("nope"), Optional.empty()))
        .hasMessageContainingAll("data.csv:1", "no label column named 'nope'");
    assertThatThrownBy(() -> SchemaInference.infer(file, List.of("y"), Optional.empty()))
        .hasMessageContaining("at least 2 classes");
    assertThatThrownBy(
            () -> SchemaInference.infer(file, List.of("y"), Optional.of(Task.REGRESSION)))
        .hasMessageContainingAll("data.csv:2:2", "not a number");
    Path nan = csv("x,y\nNaN,1\n2,0\n");
    assertThatThrownBy(() -> SchemaInference.infer(nan, List.of("y"), Optional.empty()))
        .isInstanceOf(DataFormatException.class);
    assertThatThrownBy(
            () -> SchemaInference.infer(dir.resolve("missing.csv"), List.of("y"), Optional.empty()))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
  }
}
