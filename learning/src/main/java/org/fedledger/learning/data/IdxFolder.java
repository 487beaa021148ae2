package org.fedledger.learning.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.fedledger.learning.data.schema.DataFormat;
import org.fedledger.learning.data.schema.DatasetSchema;

/**
 * An owner's IDX data: a directory with one images file (rank 3) and one labels file (rank 1), as
 * {@code fedledger dataset split} writes and as MNIST and Fashion-MNIST are published. When the
 * directory holds the training and test pairs of a full download, the training pair ({@code
 * train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, raw or {@code .gz}) is the owner's
 * data; otherwise the directory must hold exactly one {@code *images-idx3-ubyte[.gz]} and one
 * {@code *labels-idx1-ubyte[.gz]}.
 *
 * @param images the images file
 * @param labels the labels file
 */
public record IdxFolder(Path images, Path labels) {
  /** Finds the images and labels files of dir. */
  public static IdxFolder find(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new DataFormatException(
          dir + ": not a directory; IDX data is a folder with an images and a labels file");
    }
    List<Path> images = matching(dir, "images-idx3-ubyte");
    List<Path> labels = matching(dir, "labels-idx1-ubyte");
    return new IdxFolder(
        pick(dir, images, "train-images-idx3-ubyte"), pick(dir, labels, "train-labels-idx1-ubyte"));
  }

  private static List<Path> matching(Path dir, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              p -> {
                String n = p.getFileName().toString();
                return n.endsWith(suffix) || n.endsWith(suffix + ".gz");
              })
          .sorted()
          .toList();
    }
  }

  private static Path pick(Path dir, List<Path> candidates, String trainName)
      throws DataFormatException {
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    for (Path p : candidates) {
      String n = p.getFileName().toString();
      if (n.equals(trainName) || n.equals(trainName + ".gz")) {
        return p;
      }
    }
    if (candidates.isEmpty()) {
      throw new DataFormatException(
          dir
              + ": holds no "
              + trainName
              + "[.gz] (no files named *"
              + trainName.substring(trainName.indexOf('-') + 1)
              + "[.gz]); an IDX data folder holds one images and one labels file, or a train-*"
              + " pair");
    }
    List<String> names = new ArrayList<>();
    candidates.forEach(p -> names.add(p.getFileName().toString()));
    throw new DataFormatException(
        dir
            + ": several ("
            + String.join(", ", names)
            + ") files named *"
            + trainName.substring(trainName.indexOf('-') + 1)
            + "[.gz] and none of them "
            + trainName
            + "[.gz]; an IDX data folder holds one images and one labels file, or a train-* pair");
  }

  /** Reads the pair under the schema, whose shape must be the images' {@code [1, rows, cols]}. */
  public static LabeledData read(Path dir, DatasetSchema schema) throws IOException {
    if (schema.format() != DataFormat.IDX) {
      throw new IllegalArgumentException(
          "a " + schema.format().jsonName() + " schema cannot read the IDX folder " + dir);
    }
    IdxFolder files = find(dir);
    LabeledData data;
    try {
      data =
          IdxReader.images(
              IdxReader.read(files.images()), IdxReader.read(files.labels()), schema.outputCount());
    } catch (DataFormatException e) {
      throw new DataFormatException(
          dir + ": " + e.getMessage() + "; the data does not fit the schema's classes", e);
    }
    if (!Arrays.equals(data.sampleShape(), schema.sampleShape())) {
      throw new DataFormatException(
          files.images()
              + ": images of shape "
              + Arrays.toString(data.sampleShape())
              + " but the schema's inputShape is "
              + schema.inputShape()
              + "; use a schema made for this data (fedledger dataset schema)");
    }
    return data;
  }
}
