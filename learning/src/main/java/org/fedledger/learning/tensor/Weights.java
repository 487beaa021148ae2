package org.fedledger.learning.tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A model's parameters (or an update to them) as a named, ordered list of float tensors. The order
 * is the model's parameter order and is part of the value: two Weights are equal only if their
 * tensors are equal in the same order.
 */
public record Weights(List<NamedTensor> tensors) {
  public Weights {
    tensors = List.copyOf(tensors);
    java.util.Set<String> names = new java.util.HashSet<>();
    for (NamedTensor t : tensors) {
      if (!names.add(t.name())) {
        throw new IllegalArgumentException("duplicate tensor name " + t.name());
      }
    }
  }

  /** Total number of parameters. */
  public long parameterCount() {
    long n = 0;
    for (NamedTensor t : tensors) {
      n += t.size();
    }
    return n;
  }

  /** True if other has the same names and shapes in the same order. */
  public boolean sameShape(Weights other) {
    if (tensors.size() != other.tensors.size()) {
      return false;
    }
    for (int i = 0; i < tensors.size(); i++) {
      if (!tensors.get(i).sameShape(other.tensors.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** All values concatenated in tensor order. */
  public float[] flatten() {
    float[] flat = new float[Math.toIntExact(parameterCount())];
    int offset = 0;
    for (NamedTensor t : tensors) {
      System.arraycopy(t.values(), 0, flat, offset, t.size());
      offset += t.size();
    }
    return flat;
  }

  /** Weights of this shape holding the given flat values. */
  public Weights withValues(float[] flat) {
    if (flat.length != parameterCount()) {
      throw new IllegalArgumentException(
          "expected " + parameterCount() + " values, got " + flat.length);
    }
    List<NamedTensor> out = new ArrayList<>(tensors.size());
    int offset = 0;
    for (NamedTensor t : tensors) {
      float[] v = new float[t.size()];
      System.arraycopy(flat, offset, v, 0, v.length);
      offset += v.length;
      out.add(new NamedTensor(t.name(), t.shape().clone(), v));
    }
    return new Weights(Collections.unmodifiableList(out));
  }
}
