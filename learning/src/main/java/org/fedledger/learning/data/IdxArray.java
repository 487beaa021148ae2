package org.fedledger.learning.data;

import java.util.Arrays;

/**
 * An unsigned-byte array read from an IDX file: its dimensions (the first is the sample count) and
 * its bytes in row-major order.
 */
public record IdxArray(int[] dims, byte[] data) {
  public int count() {
    return dims[0];
  }

  /** Values per sample: the product of the dimensions after the first. */
  public int sampleLength() {
    int n = 1;
    for (int i = 1; i < dims.length; i++) {
      n *= dims[i];
    }
    return n;
  }

  @Override
  public String toString() {
    return "IdxArray" + Arrays.toString(dims);
  }
}
