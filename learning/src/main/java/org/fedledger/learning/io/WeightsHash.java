package org.fedledger.learning.io;

import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.learning.tensor.Weights;

/**
 * The hash the chain records for a set of weights: SHA-256 of their canonical safetensors bytes,
 * {@link Safetensors#write(Weights)} (tensors in order, no metadata). Anyone can recompute it from
 * a file written that way with {@code sha256sum}, and it changes if any name, shape, order or bit
 * of any value changes. Metadata is deliberately outside the hash.
 */
public final class WeightsHash {
  private WeightsHash() {}

  public static Hash of(Weights weights) {
    return Sha256.hash(Safetensors.write(weights));
  }
}
