package org.fedledger.learning.data;

import java.io.IOException;
import java.nio.file.Path;
import org.fedledger.learning.data.schema.DatasetSchema;

/** Reads an owner's data in whichever format its schema names. */
public final class DatasetReader {
  private DatasetReader() {}

  /**
   * Reads a CSV file, an image folder or an IDX folder, as the schema's format says.
   *
   * @throws DataFormatException if the data breaks the schema; the message names the place
   */
  public static LabeledData read(Path data, DatasetSchema schema) throws IOException {
    switch (schema.format()) {
      case CSV:
        return CsvReader.read(data, schema);
      case IMAGES:
        return ImageFolderReader.read(data, schema);
      case IDX:
        return IdxFolder.read(data, schema);
    }
    throw new IllegalStateException("unknown format " + schema.format());
  }
}
