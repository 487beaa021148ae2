package org.fedledger.learning.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Writes labelled images in the IDX format {@link IdxReader} reads: an unsigned-byte rank-3 file of
 * images and a rank-1 file of labels, raw (not gzipped). Pixels go back from [0, 1] to 0..255, so
 * data read from IDX files is written byte for byte as it was; a value that is not k/255 for an
 * integer k in 0..255 cannot be stored and is refused rather than rounded. New files only: an
 * existing file is never overwritten.
 */
public final class IdxWriter {
  private static final int IMAGES_MAGIC = 0x00000803;
  private static final int LABELS_MAGIC = 0x00000801;

  private IdxWriter() {}

  /**
   * Writes the samples' images (shape [1, rows, cols] or [rows, cols]) as an IDX3 file.
   *
   * @throws IllegalArgumentException if a sample is not one grey image or a value is not k/255
   */
  public static void writeImages(LabeledData data, Path file) throws IOException {
    int[] shape = data.sampleShape();
    int[] image = imageShape(shape);
    float[] row = new float[data.featureLength()];
    byte[] bytes = new byte[row.length];
    write(
        file,
        out -> {
          out.writeInt(IMAGES_MAGIC);
          out.writeInt(data.size());
          out.writeInt(image[0]);
          out.writeInt(image[1]);
          for (int i = 0; i < data.size(); i++) {
            data.copyFeatures(i, row, 0);
            for (int k = 0; k < row.length; k++) {
              bytes[k] = pixel(row[k], i, k);
            }
            out.write(bytes);
          }
        });
  }

  /**
   * Writes the samples' labels as an IDX1 file.
   *
   * @throws IllegalArgumentException if there are more than 256 classes
   */
  public static void writeLabels(LabeledData data, Path file) throws IOException {
    if (data.classCount() > 256) {
      throw new IllegalArgumentException(
          "IDX labels are unsigned bytes; " + data.classCount() + " classes do not fit");
    }
    write(
        file,
        out -> {
          out.writeInt(LABELS_MAGIC);
          out.writeInt(data.size());
          for (int label : data.labels()) {
            out.writeByte(label);
          }
        });
  }

  private static int[] imageShape(int[] shape) {
    if (shape.length == 3 && shape[0] == 1) {
      return new int[] {shape[1], shape[2]};
    }
    if (shape.length == 2) {
      return shape;
    }
    throw new IllegalArgumentException(
        "IDX images are one grey channel, [1, rows, cols] or [rows, cols]; samples have shape "
            + Arrays.toString(shape));
  }

  private static byte pixel(float value, int sample, int index) {
    float scaled = value * 255f;
    int k = Math.round(scaled);
    if (!(value >= 0f && value <= 1f) || k / 255f != value) {
      throw new IllegalArgumentException(
          "value "
              + value
              + " of sample "
              + sample
              + " (feature "
              + index
              + ") is not k/255 for a whole k in 0..255; IDX stores unsigned bytes only");
    }
    return (byte) k;
  }

  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  /** Creates file (which must not exist) and writes body to it; on failure, deletes it again. */
  private static void write(Path file, Body body) throws IOException {
    OutputStream raw = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW);
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
      body.write(out);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }
}
