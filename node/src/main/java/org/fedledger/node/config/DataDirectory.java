package org.fedledger.node.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.IdxReader;
import org.fedledger.learning.data.IdxWriter;
import org.fedledger.learning.data.LabeledData;

/**
 * A directory of labelled images in Fashion-MNIST's IDX layout: what {@code fedledger dataset
 * split} writes and what a node's {@code participants[].dataDir} and {@code evaluationDataDir}
 * name. Training samples are {@code train-images-idx3-ubyte} with {@code train-labels-idx1-ubyte},
 * test samples {@code t10k-images-idx3-ubyte} with {@code t10k-labels-idx1-ubyte}, each raw or with
 * {@code .gz}; so a full Fashion-MNIST download is such a directory too. Labels are the ten
 * Fashion-MNIST classes.
 */
public final class DataDirectory {
  /** Which pair of files. */
  public enum Part {
    TRAIN("train"),
    TEST("t10k");

    private final String prefix;

    Part(String prefix) {
      this.prefix = prefix;
    }

    public String imagesFile() {
      return prefix + "-images-idx3-ubyte";
    }

    public String labelsFile() {
      return prefix + "-labels-idx1-ubyte";
    }
  }

  private DataDirectory() {}

  /**
   * Reads the part's images and labels.
   *
   * @throws NoSuchFileException if the directory or one of the two files is missing
   * @throws IOException if a file is not valid IDX or the two do not match
   */
  public static LabeledData load(Path dir, Part part) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(
          dir.toString(),
          null,
          "no such data directory; write one with `fedledger dataset split --out DIR`");
    }
    Path images = find(dir, part.imagesFile());
    Path labels = find(dir, part.labelsFile());
    try {
      return IdxReader.images(
          IdxReader.read(images), IdxReader.read(labels), Datasets.FASHION_MNIST_CLASSES);
    } catch (IOException e) {
      throw new IOException(dir + ": " + e.getMessage(), e);
    }
  }

  /** Writes the part's two files into dir (created if needed); existing files are not replaced. */
  public static void write(Path dir, Part part, LabeledData data) throws IOException {
    Files.createDirectories(dir);
    IdxWriter.writeImages(data, dir.resolve(part.imagesFile()));
    IdxWriter.writeLabels(data, dir.resolve(part.labelsFile()));
  }

  private static Path find(Path dir, String name) throws NoSuchFileException {
    for (Path p : new Path[] {dir.resolve(name), dir.resolve(name + ".gz")}) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new NoSuchFileException(
        dir.toString(),
        null,
        "holds no "
            + name
            + "[.gz]; a data directory holds IDX files as `fedledger dataset split` writes them");
  }
}
