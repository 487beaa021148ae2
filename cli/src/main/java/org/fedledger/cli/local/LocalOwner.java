package org.fedledger.cli.local;

import java.io.IOException;
import java.nio.file.Path;
import org.fedledger.learning.data.DatasetReader;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.schema.DatasetSchemaJson;

/**
 * A data owner of a {@link LocalNodes} network.
 *
 * @param name for the logs and the summaries, and its dataset id's prefix
 * @param data what it trains on
 * @param attack what it does to its updates, as in {@code simulate --attack}; null: honest
 * @param schema the schema its data is read and registered under
 * @param onDisk where its node reads the data and schema from; null: Fashion-MNIST images that
 *     {@link LocalNodes} writes as an IDX folder
 */
public record LocalOwner(
    String name, LabeledData data, String attack, DatasetSchema schema, OnDisk onDisk) {
  /**
   * An owner's data on disk: a CSV file, an image folder or an IDX folder, and its schema file.
   *
   * @param data the data, as a node's {@code participants[].dataDir} names it
   * @param schema its schema file, as {@code participants[].schema} names it
   */
  public record OnDisk(Path data, Path schema) {}

  public LocalOwner {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("an owner needs a name");
    }
    if (data == null || data.size() == 0) {
      throw new IllegalArgumentException("owner " + name + " has no data");
    }
    if (schema == null) {
      throw new IllegalArgumentException("owner " + name + " needs the schema of its data");
    }
  }

  /** An owner of Fashion-MNIST images, written to its node's data directory as IDX files. */
  public LocalOwner(String name, LabeledData data, String attack) {
    this(name, data, attack, Datasets.FASHION_MNIST_SCHEMA, null);
  }

  /**
   * An owner whose data is already on disk (e.g. a CSV file), read under the schema file as its
   * node will read it.
   *
   * @throws IOException if a file cannot be read or the data breaks the schema
   */
  public static LocalOwner ofFiles(String name, Path data, Path schemaFile, String attack)
      throws IOException {
    DatasetSchema schema = DatasetSchemaJson.read(schemaFile);
    return new LocalOwner(
        name,
        DatasetReader.read(data, schema),
        attack,
        schema,
        new OnDisk(data.toAbsolutePath(), schemaFile.toAbsolutePath()));
  }

  public boolean malicious() {
    return attack != null && !attack.equals("none");
  }

  /**
   * The dataset id it registers its data under: its name and, for data on disk, the file's name
   * without its extension ({@code general-patients} for {@code general/patients.csv}).
   */
  public String datasetId() {
    if (onDisk == null) {
      return name + "-fashion-mnist";
    }
    String file = onDisk.data().getFileName().toString();
    int dot = file.lastIndexOf('.');
    return name + "-" + (dot > 0 ? file.substring(0, dot) : file);
  }
}
