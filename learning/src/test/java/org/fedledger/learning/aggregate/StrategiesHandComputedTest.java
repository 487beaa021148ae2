package org.fedledger.learning.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class StrategiesHandComputedTest {
  private static final org.fedledger.learning.tensor.Weights GLOBAL = W.of(10, 10, 10);

  private static AggregationResult run(String strategy, List<ClientUpdate> updates) {
    return Strategies.parse(strategy, Parallel.SERIAL)
        .aggregate(new AggregationInput(GLOBAL, updates));
  }

  @Test
  void fedAvgWeightsDeltasBySampleCount() {
    // weights 1/4, 1/4, 1/2
    AggregationResult r =
        run(
            "fedavg",
            List.of(
                W.update("a", 1, 1, 2, 3), W.update("b", 1, 3, 4, 5), W.update("c", 2, 0, 0, -1)));
    assertThat(W.values(r.aggregateDelta())).containsExactly(1.0f, 1.5f, 1.5f);
    assertThat(W.values(r.newGlobal())).containsExactly(11.0f, 11.5f, 11.5f);
    assertThat(r.accepted()).containsExactly("a", "b", "c");
    assertThat(r.rejected()).isEmpty();
    assertThat(r.excluded()).isEmpty();
  }

  @Test
  void fedAvgDoesNotDependOnSubmissionOrder() {
    List<ClientUpdate> updates =
        List.of(W.update("b", 3, 0.1f, 0.2f, 0.3f), W.update("a", 7, 0.7f, 0.11f, -0.5f));
    AggregationResult forward = run("fedavg", updates);
    AggregationResult backward = run("fedavg", List.of(updates.get(1), updates.get(0)));
    assertThat(W.bytes(forward.newGlobal())).isEqualTo(W.bytes(backward.newGlobal()));
  }

  @Test
  void medianOfOddAndEvenCounts() {
    List<ClientUpdate> three =
        List.of(W.update("a", 1, 1, 2, 3), W.update("b", 1, 3, 4, 5), W.update("c", 9, 0, 0, -1));
    assertThat(W.values(run("median", three).aggregateDelta())).containsExactly(1f, 2f, 3f);

    List<ClientUpdate> four =
        List.of(
            W.update("a", 1, 1, 2, 3),
            W.update("b", 1, 3, 4, 5),
            W.update("c", 1, 0, 0, -1),
            W.update("d", 1, 100, -100, 2));
    // sorted per coordinate: (0,1,3,100) (-100,0,2,4) (-1,2,3,5)
    assertThat(W.values(run("median", four).aggregateDelta())).containsExactly(2f, 1f, 2.5f);
  }

  @Test
  void trimmedMeanDropsExtremesFromEachSide() {
    List<ClientUpdate> five =
        List.of(
            W.update("a", 1, 1, 10, 0),
            W.update("b", 1, 3, 20, 0),
            W.update("c", 1, 0, 30, 0),
            W.update("d", 1, 100, 40, 0),
            W.update("e", 1, 2, -1000, 3));
    // beta 0.2 of 5 -> one from each side: (1,2,3) (10,20,30) (0,0,0)
    assertThat(W.values(run("trimmed-mean:0.2", five).aggregateDelta()))
        .containsExactly(2f, 20f, 0f);
    // beta 0 is the plain unweighted mean
    assertThat(W.values(run("trimmed-mean:0", five).aggregateDelta()))
        .containsExactly(106f / 5, -900f / 5, 3f / 5);
  }

  @Test
  void krumSelectsTheUpdateWithTheClosestNeighbours() {
    // 1-D points 0,1,2,3,100; f = 1 -> 2 neighbours; scores 5,2,2,5,19013
    List<ClientUpdate> five =
        List.of(
            W.update("c0", 1, 0),
            W.update("c1", 1, 1),
            W.update("c2", 1, 2),
            W.update("c3", 1, 3),
            W.update("c4", 1, 100));
    org.fedledger.learning.tensor.Weights global = W.of(0);
    AggregationResult krum =
        Strategies.parse("krum:1", Parallel.SERIAL).aggregate(new AggregationInput(global, five));
    assertThat(W.values(krum.aggregateDelta())).containsExactly(1f); // tie c1/c2 -> lower id
    assertThat(krum.excluded())
        .extracting(Exclusion::clientId)
        .containsExactly("c0", "c2", "c3", "c4");

    AggregationResult multi =
        Strategies.parse("multi-krum:3:1", Parallel.SERIAL)
            .aggregate(new AggregationInput(global, five));
    assertThat(W.values(multi.aggregateDelta())).containsExactly(1f); // mean of 0,1,2
    assertThat(multi.excluded()).extracting(Exclusion::clientId).containsExactly("c3", "c4");
    assertThat(multi.excluded().get(1).reason()).contains("not selected by multi-krum:3:1");
    assertThat(multi.accepted()).hasSize(5);
  }

  @Test
  void multiKrumKeepingEveryoneIsFedAvg() {
    List<ClientUpdate> updates = W.randomUpdates(3, 4, 3, 5);
    var global = W.random(new java.util.Random(1), 3, 5, 1);
    var input = new AggregationInput(global, updates);
    AggregationResult krum = Strategies.parse("multi-krum:4", Parallel.SERIAL).aggregate(input);
    AggregationResult avg = Strategies.parse("fedavg", Parallel.SERIAL).aggregate(input);
    assertThat(W.bytes(krum.newGlobal())).isEqualTo(W.bytes(avg.newGlobal()));
    assertThat(krum.excluded()).isEmpty();
  }

  @Test
  void normClippingScalesOnlyLongDeltas() {
    // norms 5 and 1; clip at 2 -> (3,4) becomes (1.2,1.6)
    List<ClientUpdate> updates = List.of(W.update("a", 1, 3, 4), W.update("b", 1, 1, 0));
    AggregationResult r =
        Strategies.parse("fedavg+clip:2", Parallel.SERIAL)
            .aggregate(new AggregationInput(W.of(0, 0), updates));
    float[] d = W.values(r.aggregateDelta());
    assertThat(d[0]).isCloseTo(1.1f, within(1e-6f));
    assertThat(d[1]).isCloseTo(0.8f, within(1e-6f));
    assertThat(new NormClipping(new WeightedMean(), 2).name()).isEqualTo("mean+clip:2.0");
  }

  @Test
  void fedAvgMAppliesServerMomentumOverTwoRounds() {
    StrategyAggregator fedavgm =
        new StrategyAggregator(
            "fedavgm", new WeightedMean(), new ServerMomentum(1.0, 0.5), Parallel.SERIAL);
    AggregationResult r1 =
        fedavgm.aggregate(
            new AggregationInput(W.of(0, 0), List.of(W.update("a", 1, 1, -2)), ServerState.EMPTY));
    // m1 = (1,-2); x1 = (1,-2)
    assertThat(W.values(r1.newGlobal())).containsExactly(1f, -2f);
    assertThat(W.values(r1.state().buffer(ServerMomentum.BUFFER))).containsExactly(1f, -2f);
    assertThat(r1.state().step()).isEqualTo(1);

    AggregationResult r2 =
        fedavgm.aggregate(
            new AggregationInput(
                r1.newGlobal(), List.of(W.update("a", 1, 0.5f, 0.5f)), r1.state()));
    // m2 = 0.5*(1,-2) + (0.5,0.5) = (1,-0.5); x2 = (1,-2) + (1,-0.5) = (2,-2.5)
    assertThat(W.values(r2.state().buffer(ServerMomentum.BUFFER))).containsExactly(1f, -0.5f);
    assertThat(W.values(r2.newGlobal())).containsExactly(2f, -2.5f);
    assertThat(r2.state().step()).isEqualTo(2);
  }

  @Test
  void defaultFedAvgMUsesMomentumPointNine() {
    StrategyAggregator fedavgm = Strategies.parse("fedavgm", Parallel.SERIAL);
    AggregationResult r1 =
        fedavgm.aggregate(new AggregationInput(W.of(0, 0), List.of(W.update("a", 1, 1, -2))));
    AggregationResult r2 =
        fedavgm.aggregate(
            new AggregationInput(
                r1.newGlobal(), List.of(W.update("a", 1, 0.5f, 0.5f)), r1.state()));
    // m2 = 0.9*(1,-2) + (0.5,0.5) = (1.4,-1.3); x2 = (1,-2) + m2 = (2.4,-3.3)
    assertThat(W.values(r2.newGlobal())[0]).isCloseTo(2.4f, within(1e-6f));
    assertThat(W.values(r2.newGlobal())[1]).isCloseTo(-3.3f, within(1e-6f));
  }

  @Test
  void fedAdamFollowsReddiAlgorithmOverTwoRounds() {
    StrategyAggregator fedadam = Strategies.parse("fedadam", Parallel.SERIAL);
    var d = List.of(W.update("a", 1, 1, -2));
    AggregationResult r1 = fedadam.aggregate(new AggregationInput(W.of(0, 0), d));
    AggregationResult r2 = fedadam.aggregate(new AggregationInput(r1.newGlobal(), d, r1.state()));
    double lr = 0.01;
    double tau = 1e-3;
    double[] delta = {1, -2};
    for (int k = 0; k < 2; k++) {
      double m1 = 0.1 * delta[k];
      double v1 = 0.01 * delta[k] * delta[k];
      double x1 = lr * m1 / (Math.sqrt(v1) + tau);
      double m2 = 0.9 * m1 + 0.1 * delta[k];
      double v2 = 0.99 * v1 + 0.01 * delta[k] * delta[k];
      double x2 = x1 + lr * m2 / (Math.sqrt(v2) + tau);
      assertThat((double) W.values(r1.newGlobal())[k]).isCloseTo(x1, within(1e-6));
      assertThat((double) W.values(r2.newGlobal())[k]).isCloseTo(x2, within(1e-6));
      assertThat((double) W.values(r2.state().buffer(ServerAdam.FIRST_MOMENT))[k])
          .isCloseTo(m2, within(1e-7));
      assertThat((double) W.values(r2.state().buffer(ServerAdam.SECOND_MOMENT))[k])
          .isCloseTo(v2, within(1e-7));
    }
    // First coordinate by hand: 0.01 * 0.1 / (0.1 + 0.001)
    assertThat(W.values(r1.newGlobal())[0]).isCloseTo(0.00990099f, within(1e-7f));
  }

  @Test
  void aRoundReRunFromItsEncodedStateGivesTheSameBytes() {
    StrategyAggregator fedadam = Strategies.parse("fedadam", Parallel.SERIAL);
    var global = W.random(new java.util.Random(5), 20, 30, 1);
    List<ClientUpdate> round1 = W.randomUpdates(11, 4, 20, 30);
    List<ClientUpdate> round2 = W.randomUpdates(12, 4, 20, 30);
    AggregationResult r1 = fedadam.aggregate(new AggregationInput(global, round1));
    byte[] recorded = r1.state().encode();
    AggregationResult r2 =
        fedadam.aggregate(new AggregationInput(r1.newGlobal(), round2, r1.state()));
    ServerState decoded = ServerState.decode(recorded);
    assertThat(decoded).isEqualTo(r1.state());
    AggregationResult replay =
        fedadam.aggregate(new AggregationInput(r1.newGlobal(), round2, decoded));
    assertThat(W.bytes(replay.newGlobal())).isEqualTo(W.bytes(r2.newGlobal()));
    assertThat(replay.state().encode()).isEqualTo(r2.state().encode());
  }

  @Test
  void stateOfAnotherModelIsRefused() {
    StrategyAggregator fedavgm = Strategies.parse("fedavgm", Parallel.SERIAL);
    AggregationResult r1 =
        fedavgm.aggregate(new AggregationInput(W.of(0, 0), List.of(W.update("a", 1, 1, 1))));
    var other = new AggregationInput(W.of(0, 0, 0), List.of(W.update("a", 1, 1, 1, 1)), r1.state());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> fedavgm.aggregate(other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("momentum");
  }

  @Test
  void krumWithExplicitByzantineCountIsNamedCanonically() {
    assertThat(new Krum(1, OptionalInt.of(2)).name()).isEqualTo("krum:2");
    assertThat(new Krum(5, OptionalInt.empty()).name()).isEqualTo("multi-krum:5");
  }
}
