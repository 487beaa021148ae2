package org.fedledger.learning.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.fedledger.learning.tensor.NamedTensor;
import org.fedledger.learning.tensor.Weights;

/**
 * Puts tensors back in a model's order. {@link Safetensors#read(byte[])} returns tensors in the
 * order of their data in the file; files re-saved by {@code safetensors.torch.save_file} are
 * ordered by name instead, which is not DJL's parameter order.
 */
public final class WeightsOrder {
  private WeightsOrder() {}

  /**
   * The tensors of weights in the order of template's names.
   *
   * @throws IllegalArgumentException naming the tensors that one has and the other lacks
   */
  public static Weights like(Weights weights, Weights template) {
    Map<String, NamedTensor> byName = new LinkedHashMap<>();
    for (NamedTensor t : weights.tensors()) {
      byName.put(t.name(), t);
    }
    List<NamedTensor> out = new ArrayList<>(template.tensors().size());
    TreeSet<String> missing = new TreeSet<>();
    for (NamedTensor t : template.tensors()) {
      NamedTensor match = byName.remove(t.name());
      if (match == null) {
        missing.add(t.name());
      } else {
        out.add(match);
      }
    }
    if (!missing.isEmpty() || !byName.isEmpty()) {
      throw new IllegalArgumentException(
          "the weights do not match the model: missing "
              + missing
              + ", unexpected "
              + new TreeSet<>(byName.keySet()));
    }
    return new Weights(out);
  }
}
