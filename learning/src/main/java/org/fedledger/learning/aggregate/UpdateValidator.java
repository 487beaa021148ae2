package org.fedledger.learning.aggregate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import org.fedledger.learning.tensor.NamedTensor;
import org.fedledger.learning.tensor.Weights;

/**
 * Splits a round's updates into valid ones, in canonical order (sorted by client id), and
 * rejections with reasons. An update is rejected if its tensors do not match the global model's
 * names and shapes in order, if any value is NaN or infinite, if its sample count is not positive,
 * or if its client id appears more than once (all copies are rejected: which one counts would
 * otherwise depend on submission order).
 */
public final class UpdateValidator {
  /** Valid updates sorted by client id, and the rejections sorted by client id. */
  public record Validation(List<ClientUpdate> accepted, List<Rejection> rejected) {}

  private UpdateValidator() {}

  public static Validation validate(Weights global, List<ClientUpdate> updates) {
    return validate(global, updates, true);
  }

  /**
   * As {@link #validate(Weights, List)}, but with {@code checkValues} false the values are not
   * scanned for NaN and infinity: for a caller that detects them another way (see {@link
   * Combiner#exposesNonFiniteInputs}) and then validates again with the full check.
   */
  static Validation validate(Weights global, List<ClientUpdate> updates, boolean checkValues) {
    TreeMap<String, List<ClientUpdate>> byId = new TreeMap<>();
    for (ClientUpdate u : updates) {
      byId.computeIfAbsent(u.clientId(), k -> new ArrayList<>()).add(u);
    }
    List<ClientUpdate> accepted = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    for (var entry : byId.entrySet()) {
      if (entry.getValue().size() > 1) {
        rejected.add(
            new Rejection(
                entry.getKey(),
                "client sent " + entry.getValue().size() + " updates in one round; send one"));
        continue;
      }
      ClientUpdate u = entry.getValue().get(0);
      String reason = problem(global, u, checkValues);
      if (reason == null) {
        accepted.add(u);
      } else {
        rejected.add(new Rejection(u.clientId(), reason));
      }
    }
    accepted.sort(Comparator.comparing(ClientUpdate::clientId));
    return new Validation(List.copyOf(accepted), List.copyOf(rejected));
  }

  private static String problem(Weights global, ClientUpdate u, boolean checkValues) {
    if (u.sampleCount() <= 0) {
      return "sample count must be positive, got " + u.sampleCount();
    }
    List<NamedTensor> expected = global.tensors();
    List<NamedTensor> actual = u.delta().tensors();
    if (expected.size() != actual.size()) {
      return "update has " + actual.size() + " tensors, the model has " + expected.size();
    }
    for (int t = 0; t < expected.size(); t++) {
      NamedTensor e = expected.get(t);
      NamedTensor a = actual.get(t);
      if (!e.sameShape(a)) {
        return "tensor " + t + " is " + a + " but the model expects " + e;
      }
    }
    return checkValues ? nonFiniteValue(actual) : null;
  }

  private static String nonFiniteValue(List<NamedTensor> tensors) {
    for (NamedTensor a : tensors) {
      float[] v = a.values();
      for (int k = 0; k < v.length; k++) {
        if (!Float.isFinite(v[k])) {
          return "tensor "
              + a.name()
              + " holds "
              + v[k]
              + " at index "
              + k
              + "; values must be finite";
        }
      }
    }
    return null;
  }

  /** True if every value of every tensor is finite. */
  static boolean allFinite(Weights weights) {
    return nonFiniteValue(weights.tensors()) == null;
  }
}
