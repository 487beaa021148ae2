package org.fedledger.learning.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
  @Test
  void embeddedSplitIsDeterministicAndDisjoint() throws IOException {
    DataSplit a = Datasets.embeddedFashionMnist();
    DataSplit b = Datasets.embeddedFashionMnist();
    assertThat(a.train().size()).isEqualTo(8_000);
    assertThat(a.test().size()).isEqualTo(2_000);
    assertThat(a.train().labels()).isEqualTo(b.train().labels());
    assertThat(a.source()).contains("embedded").contains("8000 training");
    // Disjoint: no test image's pixels equal a training image's at the same position of a set.
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < a.train().size(); i++) {
      seen.add(java.util.Arrays.hashCode(a.train().features(i)));
    }
    int collisions = 0;
    for (int i = 0; i < a.test().size(); i++) {
      if (seen.contains(java.util.Arrays.hashCode(a.test().features(i)))) {
        collisions++;
      }
    }
    // Fashion-MNIST has a handful of duplicate images; a split that overlapped would collide by
    // the hundred.
    assertThat(collisions).isLessThan(10);
  }

  @Test
  void readsADirectoryOfIdxFilesRawOrGzipped(@TempDir Path dir) throws IOException {
    byte[] images = IdxReaderTest.idx(0x00000803, new int[] {3, 2, 2}, new byte[12]);
    byte[] labels = IdxReaderTest.idx(0x00000801, new int[] {3}, new byte[] {1, 2, 3});
    Files.write(dir.resolve("train-images-idx3-ubyte"), images);
    Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), IdxReaderTest.gzip(labels));
    Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), IdxReaderTest.gzip(images));
    Files.write(dir.resolve("t10k-labels-idx1-ubyte"), labels);
    DataSplit split = Datasets.fashionMnist(Optional.of(dir));
    assertThat(split.train().size()).isEqualTo(3);
    assertThat(split.test().labels()).containsExactly(1, 2, 3);
    assertThat(split.source()).contains(dir.toString());
  }

  @Test
  void aNamedDirectoryWithoutTheFilesIsAnError(@TempDir Path dir) {
    assertThatThrownBy(() -> Datasets.fashionMnist(Optional.of(dir)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("train-images-idx3-ubyte[.gz] not found in " + dir);
  }
}
