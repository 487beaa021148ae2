package org.fedledger.learning.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.fedledger.learning.data.schema.DataFormat;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.schema.LabelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFolderTest {
  @TempDir Path dir;

  private static final LabeledData TWO =
      LabeledData.of(
          new float[] {0, 1, 1, 0, 1, 1, 0, 0}, new int[] {1, 2, 2}, new int[] {2, 0}, 3);

  private static DatasetSchema schema(int classes, int rows, int cols) {
    List<String> names = classes == 3 ? List.of("0", "1", "2") : List.of("0", "1");
    return new DatasetSchema(
        DataFormat.IDX,
        null,
        LabelSpec.classification(null, names),
        List.of(1, rows, cols),
        null,
        null);
  }

  @Test
  void readsTheOnlyPairOrTheTrainingPairUnderTheSchema() throws IOException {
    IdxWriter.writeImages(TWO, dir.resolve("owner-images-idx3-ubyte"));
    IdxWriter.writeLabels(TWO, dir.resolve("owner-labels-idx1-ubyte"));
    LabeledData data = IdxFolder.read(dir, schema(3, 2, 2));
    assertThat(data.labels()).containsExactly(2, 0);
    assertThat(data.features()).containsExactly(TWO.features());
    IdxWriter.writeImages(TWO.subset(new int[] {1}), dir.resolve("train-images-idx3-ubyte"));
    IdxWriter.writeLabels(TWO.subset(new int[] {1}), dir.resolve("train-labels-idx1-ubyte"));
    assertThat(IdxFolder.read(dir, schema(3, 2, 2)).labels()).containsExactly(0);
  }

  @Test
  void refusesAShapeOrClassesOutsideTheSchema() throws IOException {
    IdxWriter.writeImages(TWO, dir.resolve("a-images-idx3-ubyte"));
    IdxWriter.writeLabels(TWO, dir.resolve("a-labels-idx1-ubyte"));
    assertThatThrownBy(() -> IdxFolder.read(dir, schema(3, 4, 1)))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContainingAll("[1, 2, 2]", "inputShape");
    assertThatThrownBy(() -> IdxFolder.read(dir, schema(2, 2, 2)))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContainingAll("label 2", "schema's classes");
  }

  @Test
  void refusesAFolderWithoutOrWithAmbiguousFiles() throws IOException {
    assertThatThrownBy(() -> IdxFolder.find(dir)).hasMessageContaining("no files named");
    IdxWriter.writeImages(TWO, dir.resolve("a-images-idx3-ubyte"));
    IdxWriter.writeImages(TWO, dir.resolve("b-images-idx3-ubyte"));
    assertThatThrownBy(() -> IdxFolder.find(dir)).hasMessageContaining("several");
    assertThatThrownBy(() -> IdxFolder.find(dir.resolve("nope")))
        .hasMessageContaining("not a directory");
  }
}
