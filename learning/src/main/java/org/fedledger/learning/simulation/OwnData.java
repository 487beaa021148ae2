package org.fedledger.learning.simulation;

import java.io.IOException;
import java.nio.file.Path;
import org.fedledger.learning.data.DataSplit;
import org.fedledger.learning.data.DatasetReader;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.data.LocalSplit;
import org.fedledger.learning.data.schema.DatasetSchema;

/**
 * A simulation's data when the user brings their own: the file or folder read under its schema,
 * then a seeded {@value #TEST_FRACTION} of it held out as the test set, the rest to be partitioned
 * among the clients.
 */
public final class OwnData {
  /** The share of the user's samples held out to test the global model on. */
  public static final double TEST_FRACTION = 0.2;

  private OwnData() {}

  /**
   * Reads the data and splits it.
   *
   * @throws IOException if the data cannot be read
   * @throws org.fedledger.learning.data.DataFormatException if it breaks the schema (the message
   *     names the place)
   */
  public static DataSplit load(Path data, DatasetSchema schema, long seed) throws IOException {
    LabeledData all = DatasetReader.read(data, schema);
    if (all.size() < 2) {
      throw new IllegalArgumentException(
          data
              + " holds "
              + all.size()
              + " sample(s); a simulation needs some to train on and"
              + " some to test on");
    }
    DataSplit split = LocalSplit.split(all, TEST_FRACTION, Seeds.derive(seed, 4, 0));
    return new DataSplit(
        split.train(),
        split.test(),
        data + " (" + schema.format().jsonName() + "), " + split.source());
  }
}
