package org.fedledger.learning.tensor;

import java.util.Arrays;

/**
 * One parameter tensor of a model: its name (as in the model, e.g. "01Conv2d_weight"), its shape
 * and its values in row-major order. The array is owned by the tensor; callers must not modify it
 * after construction.
 */
public record NamedTensor(String name, long[] shape, float[] values) {
  public NamedTensor {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a tensor needs a name");
    }
    long count = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape of " + name);
      }
      count = Math.multiplyExact(count, d);
    }
    if (count != values.length) {
      throw new IllegalArgumentException(
          "tensor "
              + name
              + " has shape "
              + Arrays.toString(shape)
              + " ("
              + count
              + " values) but "
              + values.length
              + " values");
    }
  }

  public int size() {
    return values.length;
  }

  public boolean sameShape(NamedTensor other) {
    return name.equals(other.name) && Arrays.equals(shape, other.shape);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NamedTensor t
        && name.equals(t.name)
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(values, t.values);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape);
  }
}
