package org.fedledger.learning.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.fedledger.learning.data.schema.DataFormat;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.schema.DatasetSchemaJson;
import org.fedledger.learning.data.schema.LabelSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Fashion-MNIST comes from. In order of preference: the directory the user names; the Debian
 * package {@code dataset-fashion-mnist} at {@value #SYSTEM_DIR}; and the 10,000-image test split
 * embedded in this jar, which is then divided deterministically into {@value #EMBEDDED_TRAIN}
 * training and 2,000 test images, so that fedledger always runs offline.
 */
public final class Datasets {
  /** Where the Debian package {@code dataset-fashion-mnist} installs the files. */
  public static final String SYSTEM_DIR = "/usr/share/datasets/fashion-mnist";

  /** Training images taken from the embedded 10,000; the rest are the test set. */
  public static final int EMBEDDED_TRAIN = 8_000;

  /** Seed of the split of the embedded data; fixed so that every node makes the same split. */
  public static final long EMBEDDED_SPLIT_SEED = 20_170_825L;

  public static final int FASHION_MNIST_CLASSES = 10;

  /** The class names, by label. */
  public static final List<String> FASHION_MNIST_LABELS =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  /** The name of the built-in Fashion-MNIST schema, accepted wherever a schema file is. */
  public static final String FASHION_MNIST_SCHEMA_NAME = "fashion-mnist";

  /**
   * Fashion-MNIST's schema: IDX, 28x28 grayscale images, the ten classes named as in {@link
   * #FASHION_MNIST_LABELS}, no resizing.
   */
  public static final DatasetSchema FASHION_MNIST_SCHEMA =
      new DatasetSchema(
          DataFormat.IDX,
          null,
          LabelSpec.classification(null, FASHION_MNIST_LABELS),
          List.of(1, 28, 28),
          null,
          null);

  private static final String RESOURCE_DIR = "/datasets/fashion-mnist/";
  private static final Logger LOG = LoggerFactory.getLogger(Datasets.class);

  private Datasets() {}

  /**
   * Fashion-MNIST: from dir if given (which must then hold the four files), else from {@value
   * #SYSTEM_DIR} if it holds them, else from the embedded test split.
   */
  public static DataSplit fashionMnist(Optional<Path> dir) throws IOException {
    if (dir.isPresent()) {
      return fromDirectory(dir.get());
    }
    Path system = Path.of(SYSTEM_DIR);
    if (hasAll(system)) {
      return fromDirectory(system);
    }
    return embeddedFashionMnist();
  }

  /**
   * The full data set from a directory holding {@code train-images-idx3-ubyte}, {@code
   * train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte},
   * each raw or with a {@code .gz} suffix.
   */
  public static DataSplit fromDirectory(Path dir) throws IOException {
    LabeledData train =
        IdxReader.images(
            IdxReader.read(find(dir, "train-images-idx3-ubyte")),
            IdxReader.read(find(dir, "train-labels-idx1-ubyte")),
            FASHION_MNIST_CLASSES);
    LabeledData test =
        IdxReader.images(
            IdxReader.read(find(dir, "t10k-images-idx3-ubyte")),
            IdxReader.read(find(dir, "t10k-labels-idx1-ubyte")),
            FASHION_MNIST_CLASSES);
    String source =
        "Fashion-MNIST from "
            + dir
            + " ("
            + train.size()
            + " training, "
            + test.size()
            + " test images)";
    LOG.info(source);
    return new DataSplit(train, test, source);
  }

  /** The embedded 10,000 test images, unsplit. */
  public static LabeledData embeddedTestImages() throws IOException {
    return IdxReader.images(
        resource("t10k-images-idx3-ubyte.gz"),
        resource("t10k-labels-idx1-ubyte.gz"),
        FASHION_MNIST_CLASSES);
  }

  /**
   * The embedded test split divided into {@value #EMBEDDED_TRAIN} training and 2,000 test images by
   * a fixed-seed shuffle.
   */
  public static DataSplit embeddedFashionMnist() throws IOException {
    LabeledData all = embeddedTestImages();
    int[] order = new int[all.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(EMBEDDED_SPLIT_SEED);
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] trainIdx = Arrays.copyOfRange(order, 0, EMBEDDED_TRAIN);
    int[] testIdx = Arrays.copyOfRange(order, EMBEDDED_TRAIN, order.length);
    Arrays.sort(trainIdx);
    Arrays.sort(testIdx);
    String source =
        "embedded Fashion-MNIST test split (no full copy found in "
            + SYSTEM_DIR
            + " or a given directory), divided by seed "
            + EMBEDDED_SPLIT_SEED
            + " into "
            + trainIdx.length
            + " training and "
            + testIdx.length
            + " test images";
    LOG.info(source);
    return new DataSplit(all.subset(trainIdx), all.subset(testIdx), source);
  }

  /**
   * A schema named on a command line or in a configuration: the built-in {@value
   * #FASHION_MNIST_SCHEMA_NAME}, or the path of a schema JSON file.
   *
   * @throws IllegalArgumentException if the file is not a valid schema
   * @throws java.nio.file.NoSuchFileException if there is no such file and it is not the built-in
   */
  public static DatasetSchema schema(String fileOrBuiltIn) throws IOException {
    if (FASHION_MNIST_SCHEMA_NAME.equals(fileOrBuiltIn)) {
      return FASHION_MNIST_SCHEMA;
    }
    Path file = Path.of(fileOrBuiltIn);
    if (!Files.isRegularFile(file)) {
      throw new java.nio.file.NoSuchFileException(
          fileOrBuiltIn,
          null,
          "no such schema file (and not the built-in "
              + FASHION_MNIST_SCHEMA_NAME
              + "); write one with `fedledger dataset schema --data DATA --label COLUMN --out"
              + " schema.json`");
    }
    return DatasetSchemaJson.read(file);
  }

  private static IdxArray resource(String name) throws IOException {
    try (InputStream in = Datasets.class.getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null) {
        throw new IOException(
            "embedded dataset file " + RESOURCE_DIR + name + " is missing from the classpath");
      }
      return IdxReader.read(in, "embedded " + name);
    }
  }

  private static boolean hasAll(Path dir) {
    for (String name :
        new String[] {
          "train-images-idx3-ubyte",
          "train-labels-idx1-ubyte",
          "t10k-images-idx3-ubyte",
          "t10k-labels-idx1-ubyte"
        }) {
      if (!Files.isRegularFile(dir.resolve(name))
          && !Files.isRegularFile(dir.resolve(name + ".gz"))) {
        return false;
      }
    }
    return true;
  }

  private static Path find(Path dir, String name) throws IOException {
    Path raw = dir.resolve(name);
    if (Files.isRegularFile(raw)) {
      return raw;
    }
    Path gz = dir.resolve(name + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    throw new IOException(
        "Fashion-MNIST file "
            + name
            + "[.gz] not found in "
            + dir
            + "; download the four IDX files from"
            + " https://github.com/zalandoresearch/fashion-mnist or omit the directory to use the"
            + " embedded test split");
  }
}
