package org.fedledger.cli.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fedledger.core.hash.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCommitmentTest {
  @TempDir Path dir;

  @Test
  void csvCountsRowsLessTheHeaderAndHashesTheBytes() throws Exception {
    Path csv = dir.resolve("a.csv");
    Files.writeString(csv, "label,a\n1,0.5\n\n2,0.25\n3,1\n");
    DataCommitment c = DataCommitment.ofFile(csv);
    assertThat(c.samples()).isEqualTo(3);
    assertThat(c.hash()).isEqualTo(Sha256.hash(Files.readAllBytes(csv)));
    Files.writeString(csv, "1,0.5\n2,0.25\n");
    assertThat(DataCommitment.ofFile(csv).samples()).isEqualTo(2);
  }

  @Test
  void idxCountsTheFirstDimension() throws Exception {
    Path idx = dir.resolve("labels-idx1-ubyte");
    Files.write(
        idx,
        ByteBuffer.allocate(13).put(new byte[] {0, 0, 8, 1}).putInt(5).put(new byte[5]).array());
    assertThat(DataCommitment.ofFile(idx).samples()).isEqualTo(5);
  }

  @Test
  void aMissingOrEmptyFileIsRefused() throws Exception {
    assertThatThrownBy(() -> DataCommitment.ofFile(dir.resolve("none")))
        .hasMessageContaining("no such data file");
    Path empty = Files.createFile(dir.resolve("empty.csv"));
    assertThatThrownBy(() -> DataCommitment.ofFile(empty)).hasMessageContaining("no samples");
  }
}
