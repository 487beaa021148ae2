package org.fedledger.learning.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxWriterTest {
  @TempDir Path dir;

  @Test
  void writesWhatTheReaderReadsByteForByte() throws Exception {
    LabeledData data = Datasets.embeddedTestImages().range(100, 350);
    Path images = dir.resolve("images");
    Path labels = dir.resolve("labels");
    IdxWriter.writeImages(data, images);
    IdxWriter.writeLabels(data, labels);

    LabeledData back =
        IdxReader.images(IdxReader.read(images), IdxReader.read(labels), data.classCount());
    assertThat(back.size()).isEqualTo(250);
    assertThat(back.sampleShape()).containsExactly(1, 28, 28);
    assertThat(back.labels()).isEqualTo(data.labels());
    assertThat(back.features()).isEqualTo(data.features());
    assertThat(Files.size(images)).isEqualTo(16 + 250L * 28 * 28);
    assertThat(Files.size(labels)).isEqualTo(8 + 250L);
  }

  @Test
  void refusesValuesThatAreNotBytesAndLeavesNoFile() {
    LabeledData halfGrey =
        LabeledData.of(
            new float[] {0f, 1f, 0.5f, 1 / 255f}, new int[] {1, 2, 2}, new int[] {3}, 10);
    Path file = dir.resolve("images");
    assertThatThrownBy(() -> IdxWriter.writeImages(halfGrey, file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("value 0.5 of sample 0 (feature 2) is not k/255");
    assertThat(file).doesNotExist();

    LabeledData rgb = LabeledData.of(new float[12], new int[] {3, 2, 2}, new int[] {0}, 10);
    assertThatThrownBy(() -> IdxWriter.writeImages(rgb, file))
        .hasMessageContaining("one grey channel")
        .hasMessageContaining("[3, 2, 2]");
    assertThat(file).doesNotExist();
  }

  @Test
  void neverOverwritesAFile() throws Exception {
    Path file = Files.writeString(dir.resolve("labels"), "keep me");
    LabeledData data = LabeledData.of(new float[4], new int[] {2, 2}, new int[] {1}, 10);
    assertThatThrownBy(() -> IdxWriter.writeLabels(data, file))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(file)).isEqualTo("keep me");
  }
}
