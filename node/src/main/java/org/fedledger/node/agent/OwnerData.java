package org.fedledger.node.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fedledger.learning.data.DatasetReader;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.partition.DirichletPartitioner;
import org.fedledger.learning.simulation.FederatedData;

/**
 * A data owner's data as a node uses it: loaded from any of the formats under its schema ({@link
 * #load}), and, for the demo and tests, split among owners ({@link #dirichlet}).
 */
public final class OwnerData {
  /** The suffix of the schema file beside an owner's data: {@code owner-0.schema.json}. */
  public static final String SCHEMA_SUFFIX = ".schema.json";

  private OwnerData() {}

  /**
   * An owner's samples and the schema they were read under.
   *
   * @param data the samples
   * @param schema their schema
   * @param schemaSource where the schema came from, for the logs
   */
  public record Loaded(LabeledData data, DatasetSchema schema, String schemaSource) {}

  /**
   * Reads an owner's data (a CSV file, an image folder or an IDX folder) under its schema: the one
   * named ({@code fashion-mnist} or a file), else the file {@link #schemaBeside(Path) beside the
   * data}, else, for an IDX folder such as {@code fedledger dataset split} writes, Fashion-MNIST's.
   *
   * @param schema a schema file or {@code fashion-mnist}, or null to look beside the data
   * @throws IOException if there is no schema, or the data does not exist or breaks the schema
   */
  public static Loaded load(Path data, String schema) throws IOException {
    if (!Files.exists(data)) {
      throw new java.nio.file.NoSuchFileException(
          data.toString(),
          null,
          "no such data file or folder; give a CSV file, a folder of class sub-folders of images,"
              + " or an IDX folder (fedledger dataset split writes those)");
    }
    DatasetSchema chosen;
    String source;
    Path beside = schemaBeside(data);
    if (schema != null) {
      chosen = Datasets.schema(schema);
      source = schema;
    } else if (Files.isRegularFile(beside)) {
      chosen = Datasets.schema(beside.toString());
      source = beside.toString();
    } else if (Files.isDirectory(data) && hasIdx(data)) {
      chosen = Datasets.FASHION_MNIST_SCHEMA;
      source =
          "built-in " + Datasets.FASHION_MNIST_SCHEMA_NAME + " (IDX folder, no " + beside + ")";
    } else {
      throw new IOException(
          data
              + ": no schema for this data; write one beside it at "
              + beside
              + " (fedledger dataset schema --data "
              + data
              + " --label COLUMN --out "
              + beside
              + "), or name it in the participant's \"schema\"");
    }
    return new Loaded(DatasetReader.read(data, chosen), chosen, source);
  }

  /**
   * Where an owner's schema file sits by default: beside the data, named after it without its
   * extension, e.g. {@code data/patients.schema.json} for {@code data/patients.csv} and {@code
   * data/owner-0.schema.json} for the folder {@code data/owner-0}.
   */
  public static Path schemaBeside(Path data) {
    Path abs = data.toAbsolutePath().normalize();
    String name = abs.getFileName() == null ? "data" : abs.getFileName().toString();
    int dot = Files.isDirectory(abs) ? -1 : name.lastIndexOf('.');
    String base = dot > 0 ? name.substring(0, dot) : name;
    return abs.resolveSibling(base + SCHEMA_SUFFIX);
  }

  /**
   * Whether the folder holds IDX files, images or labels: a folder with only one of the pair is
   * still an IDX folder, and the IDX reader then names the missing file.
   */
  private static boolean hasIdx(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.anyMatch(
          p -> {
            String name = p.getFileName().toString();
            return name.contains("-idx3-ubyte") || name.contains("-idx1-ubyte");
          });
    }
  }

  /**
   * A seeded sample of at most limit samples, split among owners by a Dirichlet(alpha) draw over
   * labels (smaller alpha = more skewed owners).
   */
  public static LabeledData[] dirichlet(
      LabeledData train, int owners, int limit, double alpha, long seed) {
    LabeledData sample = sample(train, limit, seed);
    int[][] parts = new DirichletPartitioner(alpha).partition(sample, owners, seed);
    LabeledData[] out = new LabeledData[owners];
    for (int i = 0; i < owners; i++) {
      out[i] = sample.subset(parts[i]);
    }
    return out;
  }

  /**
   * A seeded uniform sample of at most limit samples (all if limit is 0), in original order: the
   * simulation's sampling ({@link FederatedData#sample}).
   */
  public static LabeledData sample(LabeledData data, int limit, long seed) {
    return FederatedData.sample(data, limit, seed);
  }
}
