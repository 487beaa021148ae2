package org.fedledger.learning.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class IdxReaderTest {
  @Test
  void readsTheEmbeddedFashionMnistTestSplit() throws IOException {
    LabeledData data = Datasets.embeddedTestImages();
    assertThat(data.size()).isEqualTo(10_000);
    assertThat(data.sampleShape()).containsExactly(1, 28, 28);
    assertThat(data.classCount()).isEqualTo(10);
    // Fashion-MNIST's test split is balanced: 1,000 images per class.
    assertThat(data.classCounts()).containsOnly(1_000);
    // The first test image is an ankle boot (label 9).
    assertThat(data.label(0)).isEqualTo(9);
    float min = 1;
    float max = 0;
    for (float v : data.features(0)) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertThat(min).isEqualTo(0f);
    assertThat(max).isLessThanOrEqualTo(1f).isGreaterThan(0.5f);
  }

  @Test
  void readsRawAndGzipAlike() throws IOException {
    byte[] raw =
        idx(
            0x00000803,
            new int[] {2, 2, 3},
            new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, (byte) 255});
    IdxArray a = IdxReader.read(new ByteArrayInputStream(raw), "raw");
    IdxArray b = IdxReader.read(new ByteArrayInputStream(gzip(raw)), "gz");
    assertThat(a.dims()).containsExactly(2, 2, 3);
    assertThat(b.dims()).containsExactly(2, 2, 3);
    assertThat(b.data()).isEqualTo(a.data());
    IdxArray labels =
        IdxReader.read(
            new ByteArrayInputStream(idx(0x00000801, new int[] {2}, new byte[] {3, 1})), "l");
    LabeledData data = IdxReader.images(a, labels, 10);
    assertThat(data.labels()).containsExactly(3, 1);
    assertThat(data.features(1)[5]).isEqualTo(1f);
    assertThat(data.features(0)[1]).isEqualTo(1 / 255f);
  }

  @Test
  void rejectsMalformedFiles() {
    assertRejected(new byte[] {0, 0}, "too short");
    assertRejected(idx(0x00000d03, new int[] {1, 1, 1}, new byte[1]), "not an unsigned-byte IDX");
    assertRejected(idx(0x01000803, new int[] {1, 1, 1}, new byte[1]), "not an unsigned-byte IDX");
    assertRejected(idx(0x00000800, new int[] {}, new byte[0]), "rank 0");
    assertRejected(idx(0x00000803, new int[] {1, 1}, new byte[0]), "header ends");
    assertRejected(idx(0x00000803, new int[] {-1, 1, 1}, new byte[0]), "negative");
    assertRejected(idx(0x00000803, new int[] {60000, 60000, 60000}, new byte[0]), "too large");
    assertRejected(idx(0x00000803, new int[] {2, 2, 2}, new byte[7]), "truncated");
    assertRejected(idx(0x00000803, new int[] {1, 2, 2}, new byte[5]), "trailing bytes");
  }

  @Test
  void rejectsMismatchedImagesAndLabels() throws IOException {
    IdxArray images =
        IdxReader.read(
            new ByteArrayInputStream(idx(0x00000803, new int[] {2, 1, 1}, new byte[2])), "i");
    IdxArray twoLabels =
        IdxReader.read(
            new ByteArrayInputStream(idx(0x00000801, new int[] {2}, new byte[] {0, 10})), "l");
    IdxArray oneLabel =
        IdxReader.read(
            new ByteArrayInputStream(idx(0x00000801, new int[] {1}, new byte[] {0})), "l");
    assertThatThrownBy(() -> IdxReader.images(images, oneLabel, 10))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("2 images but 1 labels");
    assertThatThrownBy(() -> IdxReader.images(images, twoLabels, 10))
        .hasMessageContaining("label 10 of sample 1");
    assertThatThrownBy(() -> IdxReader.images(twoLabels, twoLabels, 10))
        .hasMessageContaining("rank-3");
    assertThatThrownBy(() -> IdxReader.images(images, images, 10)).hasMessageContaining("rank-1");
  }

  private static void assertRejected(byte[] bytes, String message) {
    assertThatThrownBy(() -> IdxReader.read(new ByteArrayInputStream(bytes), "test.idx"))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("test.idx")
        .hasMessageContaining(message);
  }

  static byte[] idx(int magic, int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.putInt(magic);
    for (int d : dims) {
      b.putInt(d);
    }
    b.put(data);
    return b.array();
  }

  static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    }
    return out.toByteArray();
  }
}
