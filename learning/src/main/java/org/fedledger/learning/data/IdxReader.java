package org.fedledger.learning.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/), raw or
 * gzip-compressed (detected by the gzip magic bytes, not the file name). Only unsigned-byte data
 * (type 0x08) is accepted, which is what both data sets use. Magic number, dimensions and sizes are
 * checked, and the file must end exactly where its header says.
 */
public final class IdxReader {
  private static final int UNSIGNED_BYTE = 0x08;
  // Guards against a hostile header that claims billions of values.
  private static final long MAX_VALUES = Integer.MAX_VALUE - 8;

  private IdxReader() {}

  /** Reads one IDX array from the file. */
  public static IdxArray read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    }
  }

  /**
   * Reads one IDX array from the stream (which this method does not close).
   *
   * @param source names the stream in error messages
   */
  public static IdxArray read(InputStream raw, String source) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(raw);
    buffered.mark(2);
    int b0 = buffered.read();
    int b1 = buffered.read();
    buffered.reset();
    InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(buffered) : buffered;
    DataInputStream data = new DataInputStream(in);
    int magic;
    try {
      magic = data.readInt();
    } catch (EOFException e) {
      throw new DataFormatException(source + ": too short for an IDX header", e);
    }
    if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != UNSIGNED_BYTE) {
      throw new DataFormatException(
          String.format(
              "%s: not an unsigned-byte IDX file (magic 0x%08x; expected 0x000008NN)",
              source, magic));
    }
    int rank = magic & 0xff;
    if (rank < 1 || rank > 4) {
      throw new DataFormatException(source + ": IDX rank " + rank + " is outside 1..4");
    }
    int[] dims = new int[rank];
    long total = 1;
    for (int i = 0; i < rank; i++) {
      try {
        dims[i] = data.readInt();
      } catch (EOFException e) {
        throw new DataFormatException(source + ": header ends before dimension " + i, e);
      }
      if (dims[i] < 0) {
        throw new DataFormatException(source + ": dimension " + i + " is negative: " + dims[i]);
      }
      total *= dims[i];
      if (total > MAX_VALUES) {
        throw new DataFormatException(
            source + ": dimensions " + Arrays.toString(dims) + " are too large");
      }
    }
    byte[] values = data.readNBytes((int) total);
    if (values.length != total) {
      throw new DataFormatException(
          source
              + ": header "
              + Arrays.toString(dims)
              + " promises "
              + total
              + " bytes but the file has only "
              + values.length
              + "; it is truncated");
    }
    if (data.read() != -1) {
      throw new DataFormatException(
          source + ": trailing bytes after the " + total + " values of " + Arrays.toString(dims));
    }
    return new IdxArray(dims, values);
  }

  /**
   * Images and labels as labelled data: pixels scaled from 0..255 to [0, 1], each image of shape
   * [1, rows, cols].
   *
   * @throws DataFormatException if the images are not rank 3, the labels not rank 1, their counts
   *     differ or a label is not below classes
   */
  public static LabeledData images(IdxArray images, IdxArray labels, int classes)
      throws DataFormatException {
    if (images.dims().length != 3) {
      throw new DataFormatException(
          "images must be a rank-3 IDX array [count, rows, cols], got "
              + Arrays.toString(images.dims()));
    }
    if (labels.dims().length != 1) {
      throw new DataFormatException(
          "labels must be a rank-1 IDX array [count], got " + Arrays.toString(labels.dims()));
    }
    if (images.count() != labels.count()) {
      throw new DataFormatException(
          images.count() + " images but " + labels.count() + " labels; the files do not match");
    }
    int n = images.count();
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = labels.data()[i] & 0xff;
      if (y[i] >= classes) {
        throw new DataFormatException(
            "label " + y[i] + " of sample " + i + " is not below " + classes + " classes");
      }
    }
    byte[] pixels = images.data();
    float[] x = new float[pixels.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (pixels[i] & 0xff) / 255f;
    }
    int[] shape = {1, images.dims()[1], images.dims()[2]};
    return LabeledData.of(x, shape, y, classes);
  }
}
