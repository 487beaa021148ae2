package org.fedledger.learning.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
  @Test
  void readsFeaturesAndLabelsWhereverTheLabelColumnIs() throws IOException {
    String csv = "age, label ,income\n31,1,2.5\n\n 45 ,0,-1e3\n22,2,0\n";
    LabeledData data = read(csv, "label", 0);
    assertThat(data.size()).isEqualTo(3);
    assertThat(data.sampleShape()).containsExactly(2);
    assertThat(data.labels()).containsExactly(1, 0, 2);
    assertThat(data.classCount()).isEqualTo(3);
    assertThat(data.features()).containsExactly(31f, 2.5f, 45f, -1000f, 22f, 0f);
    assertThat(read(csv, "label", 5).classCount()).isEqualTo(5);
  }

  @Test
  void readsFiles(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("d.csv");
    Files.writeString(file, "x,y\n1,0\n2,1\n");
    assertThat(CsvReader.read(file, "y", 2).features()).containsExactly(1f, 2f);
  }

  @Test
  void badInputFailsWithLineAndReason() {
    assertBad("", "label", "empty file");
    assertBad("a,b\n1,0\n", "label", "no column named 'label'");
    assertBad("label,label\n0,0\n", "label", "appears twice");
    assertBad("label\n0\n", "label", "no feature columns");
    assertBad("a,label\n", "label", "no data rows");
    assertBad("a,label\n1,0\n2\n", "label", "in.csv:3: 1 fields but the header has 2");
    assertBad("a,label\n1,0\nx,1\n", "label", "in.csv:3: column 'a' value 'x' is not a number");
    assertBad("a,label\n1,0\n2,one\n", "label", "in.csv:3: label 'one' is not an integer");
    assertBad("a,label\n1,-1\n", "label", "in.csv:2: label -1 is outside");
    assertBad("a,label\n1,NaN\n", "label", "not an integer");
    assertBad("a,label\nNaN,1\n", "label", "not finite");
    assertBad("a,,label\n1,2,0\n", "label", "has no name");
    assertThatThrownBy(() -> read("a,label\n1,3\n", "label", 3))
        .hasMessageContaining("label 3 is outside [0, 3)");
  }

  private static LabeledData read(String csv, String label, int classes) throws IOException {
    return CsvReader.read(new StringReader(csv), "in.csv", label, classes);
  }

  private static void assertBad(String csv, String label, String message) {
    assertThatThrownBy(() -> read(csv, label, 0))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(message);
  }
}
