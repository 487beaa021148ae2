package org.fedledger.learning.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.fedledger.learning.io.WeightsHash;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.Models;
import org.junit.jupiter.api.Test;

/** Training clients on several workers changes when a round ends, never what it computes. */
class SimulationWorkersTest {
  private static SimulationConfig config() {
    return SimulationConfig.builder()
        .clients(6)
        .rounds(2)
        .partition("dirichlet:0.5")
        .model("mlp")
        .trainLimit(1200)
        .testLimit(1100) // three evaluation chunks, the last one partial
        .batchSize(32)
        .maliciousFraction(1.0 / 3)
        .attack("label-flip")
        .threads(1)
        .seed(11)
        .build();
  }

  /** Every field of a round but its duration. */
  private static List<List<Object>> metrics(SimulationSummary s) {
    return s.rounds().stream()
        .map(
            r ->
                List.<Object>of(
                    r.round(),
                    r.accuracy(),
                    r.loss(),
                    r.selected(),
                    r.accepted(),
                    r.rejected(),
                    r.excluded(),
                    r.maliciousSelected(),
                    r.trainLoss(),
                    r.maliciousScorePpm()))
        .toList();
  }

  @Test
  void oneTwoAndThreeWorkersGiveBitIdenticalWeightsAndRoundMetrics() {
    SimulationSummary one = new SimulationRunner(config(), 1).run(SimulationListener.NONE);
    SimulationSummary two = new SimulationRunner(config(), 2).run(SimulationListener.NONE);
    SimulationSummary three = new SimulationRunner(config(), 3).run(SimulationListener.NONE);

    assertThat(two.finalWeightsHash()).isEqualTo(one.finalWeightsHash());
    assertThat(three.finalWeightsHash()).isEqualTo(one.finalWeightsHash());
    assertThat(metrics(two)).isEqualTo(metrics(one));
    assertThat(metrics(three)).isEqualTo(metrics(one));
    assertThat(Double.doubleToRawLongBits(three.initialAccuracy()))
        .isEqualTo(Double.doubleToRawLongBits(one.initialAccuracy()));
    // The run did train (and was attacked): the comparison is not between two empty runs.
    assertThat(one.maliciousClients()).hasSize(2);
    assertThat(one.finalWeightsHash())
        .isNotEqualTo(WeightsHash.of(Models.initialWeights(ModelSpecs.preset("mlp"), 11)).toHex());
    assertThat(one.rounds()).allSatisfy(r -> assertThat(r.maliciousSelected()).isEqualTo(2));
  }

  @Test
  void aWorkerCountBelowOneIsRefused() {
    assertThatThrownBy(() -> new SimulationRunner(config(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("workers must be at least 1, got 0");
  }
}
