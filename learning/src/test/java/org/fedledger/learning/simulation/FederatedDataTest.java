package org.fedledger.learning.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Optional;
import org.fedledger.learning.data.DataSplit;
import org.fedledger.learning.data.Datasets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulation's data step, as a deployment reuses it to give owners the same partitions. */
class FederatedDataTest {
  private static DataSplit split;

  @BeforeAll
  static void load() throws Exception {
    split = Datasets.fashionMnist(Optional.empty());
  }

  private static SimulationConfig.Builder config() {
    return SimulationConfig.builder()
        .clients(4)
        .rounds(2)
        .model("logreg")
        .partition("dirichlet:0.5")
        .trainLimit(800)
        .testLimit(200)
        .threads(1)
        .seed(11);
  }

  @Test
  void theSameConfigurationGivesTheSamePartitionsEveryTime() {
    FederatedData a = FederatedData.of(config().build(), split);
    FederatedData b = FederatedData.of(config().build(), split);
    assertThat(a.clients()).isEqualTo(4);
    assertThat(a.train().size()).isEqualTo(800);
    assertThat(a.test().size()).isEqualTo(200);
    assertThat(Arrays.deepEquals(a.parts(), b.parts())).isTrue();
    int total = 0;
    for (int c = 0; c < 4; c++) {
      assertThat(a.client(c).labels()).isEqualTo(b.client(c).labels());
      assertThat(a.client(c).features()).isEqualTo(b.client(c).features());
      total += a.client(c).size();
    }
    assertThat(total).isEqualTo(800);
    FederatedData other = FederatedData.of(config().seed(12).build(), split);
    assertThat(Arrays.deepEquals(a.parts(), other.parts())).isFalse();
  }

  @Test
  void runningOnPreparedDataIsRunningOnLoadedData() {
    SimulationConfig c = config().build();
    SimulationSummary loaded = new SimulationRunner(c).run(SimulationListener.NONE);
    SimulationSummary prepared =
        new SimulationRunner(c).run(FederatedData.of(c, split), SimulationListener.NONE);
    assertThat(prepared.finalWeightsHash()).isEqualTo(loaded.finalWeightsHash());
    assertThat(prepared.finalAccuracy()).isEqualTo(loaded.finalAccuracy());
  }

  @Test
  void dataSplitForAnotherNumberOfClientsIsRefused() {
    FederatedData three = FederatedData.of(config().clients(3).build(), split);
    assertThatThrownBy(
            () -> new SimulationRunner(config().build()).run(three, SimulationListener.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("split among 3 clients but the configuration has 4");
  }

  @Test
  void seedsAreThoseTheSimulationAlwaysUsed() {
    // Local training and attack seeds are the SplitMix64 derivations the simulation has always
    // used, now public so the chain's agents derive theirs the same way.
    assertThat(Seeds.localTraining(42, 3, 7)).isEqualTo(Seeds.derive(42, 3, 7));
    assertThat(Seeds.attack(42, 3, 7)).isEqualTo(Seeds.derive(42 ^ 0x5eedL, 3, 7));
    assertThat(Seeds.derive(42, 3, 7)).isNotEqualTo(Seeds.derive(42, 7, 3));
  }
}
