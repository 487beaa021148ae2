package org.fedledger.cli.local;

import org.fedledger.learning.data.LabeledData;

/**
 * A data owner of a {@link LocalNodes} network.
 *
 * @param name for the logs and the summaries, and its dataset id's prefix
 * @param data what it trains on; written to its node's data directory
 * @param attack what it does to its updates, as in {@code simulate --attack}; null: honest
 */
public record LocalOwner(String name, LabeledData data, String attack) {
  public LocalOwner {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("an owner needs a name");
    }
    if (data == null || data.size() == 0) {
      throw new IllegalArgumentException("owner " + name + " has no data");
    }
  }

  public boolean malicious() {
    return attack != null && !attack.equals("none");
  }

  /** The dataset id it registers its data under. */
  public String datasetId() {
    return name + "-fashion-mnist";
  }
}
