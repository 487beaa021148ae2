package org.fedledger.learning.io;

import java.util.Map;
import org.fedledger.learning.tensor.Weights;

/**
 * The content of a safetensors file: its tensors, in the order of their data offsets, and its
 * optional string metadata (sorted by key).
 */
public record SafetensorsFile(Weights weights, Map<String, String> metadata) {
  public SafetensorsFile {
    metadata = Map.copyOf(metadata);
  }
}
