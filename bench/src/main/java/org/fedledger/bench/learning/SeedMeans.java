package org.fedledger.bench.learning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mean of each metric over several seeds, for the federated and the central run alike. On a
 * small table one test sample is several points of accuracy, so a single seed's gap is mostly the
 * draw of the test split; the mean over seeds is the fairer comparison.
 */
final class SeedMeans {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<String, Double> federatedSums = new TreeMap<>();
  private final Map<String, Double> centralSums = new TreeMap<>();
  private int seeds;

  /** Adds one seed's final federated metrics and the central run's ({@code same_model}). */
  void add(Map<String, Double> federated, JsonNode central) {
    federated.forEach((k, v) -> federatedSums.merge(k, v, Double::sum));
    for (Map.Entry<String, JsonNode> f : central.properties()) {
      centralSums.merge(f.getKey(), f.getValue().asDouble(), Double::sum);
    }
    seeds++;
  }

  /** {@code {"seeds": n, "federated": {...means}, "central": {...means}}}. */
  ObjectNode toJson() {
    if (seeds == 0) {
      throw new IllegalStateException("no seed was added");
    }
    ObjectNode o = JSON.createObjectNode();
    o.put("seeds", seeds);
    o.set("federated", means(federatedSums));
    o.set("central", means(centralSums));
    return o;
  }

  private ObjectNode means(Map<String, Double> sums) {
    ObjectNode o = JSON.createObjectNode();
    sums.forEach((k, v) -> o.put(k, v / seeds));
    return o;
  }
}
