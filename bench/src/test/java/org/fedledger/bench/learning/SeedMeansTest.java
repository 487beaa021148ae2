package org.fedledger.bench.learning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeedMeansTest {
  private static ObjectNode central(double accuracy) {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("accuracy", accuracy);
    return o;
  }

  @Test
  void averagesEachMetricOfBothRunsOverTheSeeds() {
    SeedMeans means = new SeedMeans();
    means.add(Map.of("accuracy", 0.9, "macro_f1", 0.8), central(1.0));
    means.add(Map.of("accuracy", 0.8, "macro_f1", 0.6), central(0.9));
    ObjectNode json = means.toJson();
    assertThat(json.get("seeds").asInt()).isEqualTo(2);
    assertThat(json.get("federated").get("accuracy").asDouble()).isCloseTo(0.85, within(1e-12));
    assertThat(json.get("federated").get("macro_f1").asDouble()).isCloseTo(0.7, within(1e-12));
    assertThat(json.get("central").get("accuracy").asDouble()).isCloseTo(0.95, within(1e-12));
  }

  @Test
  void noSeedHasNoMean() {
    assertThatThrownBy(() -> new SeedMeans().toJson()).hasMessageContaining("no seed");
  }
}
