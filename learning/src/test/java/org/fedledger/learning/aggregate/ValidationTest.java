package org.fedledger.learning.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.fedledger.learning.tensor.NamedTensor;
import org.fedledger.learning.tensor.Weights;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValidationTest {
  private static final Weights GLOBAL = W.of(0, 0, 0);

  private static List<ClientUpdate> poisoned() {
    return List.of(
        W.update("good-1", 1, 1, 1, 1),
        W.update("nan", 1, 1, Float.NaN, 1),
        W.update("inf", 1, Float.POSITIVE_INFINITY, 1, 1),
        W.update("neg-inf", 1, 1, 1, Float.NEGATIVE_INFINITY),
        W.update("short", 1, 1, 1),
        new ClientUpdate(
            "renamed", 1, new Weights(List.of(new NamedTensor("x", new long[] {3}, new float[3])))),
        new ClientUpdate(
            "reshaped",
            1,
            new Weights(List.of(new NamedTensor("w", new long[] {3, 1}, new float[3])))),
        W.update("no-samples", 0, 1, 1, 1),
        W.update("twice", 1, 1, 1, 1),
        W.update("twice", 1, 2, 2, 2),
        W.update("good-2", 3, 5, 5, 5));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "fedavg",
        "fedavgm",
        "fedadam",
        "median",
        "trimmed-mean:0.1",
        "krum",
        "multi-krum:2"
      })
  void invalidUpdatesAreRejectedWithReasonsAndNeverAveraged(String strategy) {
    AggregationResult r =
        Strategies.parse(strategy, Parallel.SERIAL)
            .aggregate(new AggregationInput(GLOBAL, poisoned()));
    assertThat(r.accepted()).containsExactly("good-1", "good-2");
    assertThat(r.rejected())
        .extracting(Rejection::clientId)
        .containsExactly(
            "inf", "nan", "neg-inf", "no-samples", "renamed", "reshaped", "short", "twice");
    for (float v : W.values(r.newGlobal())) {
      assertThat(Float.isFinite(v)).isTrue();
    }
    assertThat(r.rejected())
        .filteredOn(x -> x.clientId().equals("nan"))
        .singleElement()
        .extracting(Rejection::reason)
        .asString()
        .contains("NaN");
    assertThat(r.rejected())
        .filteredOn(x -> x.clientId().equals("short"))
        .singleElement()
        .extracting(Rejection::reason)
        .asString()
        .contains("expects");
  }

  /**
   * FedAvg and the server optimizers check values only when the mean comes out non-finite, then
   * recombine: the result must be bit-identical to aggregating the valid updates alone.
   */
  @ParameterizedTest
  @ValueSource(strings = {"fedavg", "fedavgm", "fedadam", "median"})
  void aPoisonedRoundAggregatesExactlyAsItsValidUpdatesAlone(String strategy) {
    StrategyAggregator a = Strategies.parse(strategy, Parallel.SERIAL);
    AggregationResult poisonedRound = a.aggregate(new AggregationInput(GLOBAL, poisoned()));
    List<ClientUpdate> valid =
        poisoned().stream().filter(u -> u.clientId().startsWith("good")).toList();
    AggregationResult validOnly = a.aggregate(new AggregationInput(GLOBAL, valid));
    assertThat(W.values(poisonedRound.newGlobal()))
        .containsExactly(W.values(validOnly.newGlobal()));
    assertThat(W.values(poisonedRound.aggregateDelta()))
        .containsExactly(W.values(validOnly.aggregateDelta()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"fedavg", "median", "krum"})
  void emptyRoundIsAClearError(String strategy) {
    StrategyAggregator a = Strategies.parse(strategy, Parallel.SERIAL);
    assertThatThrownBy(() -> a.aggregate(new AggregationInput(GLOBAL, List.of())))
        .isInstanceOf(EmptyRoundException.class)
        .hasMessageContaining("no client updates");
    EmptyRoundException allBad =
        (EmptyRoundException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    a.aggregate(
                        new AggregationInput(
                            GLOBAL, List.of(W.update("nan", 1, Float.NaN, 0, 0)))));
    assertThat(allBad).hasMessageContaining("all 1 were rejected").hasMessageContaining("nan");
    assertThat(allBad.rejected()).extracting(Rejection::clientId).containsExactly("nan");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "fedsgd",
        "",
        "trimmed-mean",
        "trimmed-mean:0.5",
        "trimmed-mean:x",
        "multi-krum",
        "multi-krum:0",
        "krum:-1",
        "median:3",
        "fedavg+clip:-1",
        "fedavg+noise:1"
      })
  void badStrategyNamesAreRefusedListingTheValidOnes(String spec) {
    assertThatThrownBy(() -> Strategies.parse(spec, Parallel.SERIAL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fedavg, fedavgm, fedadam, median, trimmed-mean:B");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "fedavg",
        "fedavgm",
        "fedadam",
        "median",
        "trimmed-mean:0.1",
        "krum",
        "krum:2",
        "multi-krum:5",
        "multi-krum:5:2",
        "median+clip:10.0"
      })
  void validStrategyNamesRoundTrip(String spec) {
    StrategyAggregator a = Strategies.parse(spec, Parallel.SERIAL);
    assertThat(Strategies.parse(a.name(), Parallel.SERIAL).name()).isEqualTo(a.name());
  }

  @ParameterizedTest
  @ValueSource(bytes = {0, 1, 2, 3})
  void corruptServerStateIsRefused(byte cut) {
    byte[] good =
        new ServerState(3, new java.util.TreeMap<>(java.util.Map.of("m", W.of(1, 2)))).encode();
    byte[] bad = java.util.Arrays.copyOf(good, good.length - 1 - cut);
    assertThatThrownBy(() -> ServerState.decode(bad)).isInstanceOf(IllegalArgumentException.class);
  }
}
