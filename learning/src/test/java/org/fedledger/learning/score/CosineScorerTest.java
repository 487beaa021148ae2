package org.fedledger.learning.score;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fedledger.learning.aggregate.AggregationInput;
import org.fedledger.learning.aggregate.AggregationResult;
import org.fedledger.learning.aggregate.ClientUpdate;
import org.fedledger.learning.aggregate.Parallel;
import org.fedledger.learning.aggregate.Strategies;
import org.fedledger.learning.attack.SignFlip;
import org.fedledger.learning.tensor.NamedTensor;
import org.fedledger.learning.tensor.Weights;
import org.junit.jupiter.api.Test;

class CosineScorerTest {
  private static Weights w(float... v) {
    return new Weights(List.of(new NamedTensor("w", new long[] {v.length}, v)));
  }

  private static long sum(ContributionScores s) {
    return s.scores().stream().mapToLong(ContributionScores.ClientScore::ppm).sum();
  }

  @Test
  void scoresSumToOneMillionAndASignFlippedUpdateScoresZero() {
    Random random = new Random(1);
    List<ClientUpdate> updates = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      float[] d = new float[50];
      for (int k = 0; k < d.length; k++) {
        d[k] = (float) (1 + 0.5 * random.nextGaussian());
      }
      Weights delta = w(d);
      updates.add(
          new ClientUpdate(
              "c" + i, 10 + i, i == 2 ? new SignFlip(1).poisonUpdate(delta, 0) : delta));
    }
    AggregationResult r =
        Strategies.parse("fedavg", Parallel.SERIAL)
            .aggregate(new AggregationInput(w(new float[50]), updates));
    ContributionScores s = new CosineScorer().score(updates, r);
    assertThat(sum(s)).isEqualTo(1_000_000L);
    assertThat(s.ppm("c2")).isZero();
    assertThat(s.scores())
        .extracting(ContributionScores.ClientScore::clientId)
        .containsExactly("c0", "c1", "c2", "c3", "c4");
    for (String id : List.of("c0", "c1", "c3", "c4")) {
      assertThat(s.ppm(id)).isGreaterThan(150_000L);
    }
    // Same inputs, any thread count: the same integers.
    assertThat(new CosineScorer(new Parallel(4)).score(updates, r)).isEqualTo(s);
  }

  @Test
  void handComputedCase() {
    // aggregate (1,0): cosines 1, 0.6 (3,4)/5, -1 -> raw 1*1/4, 0.6*2/4, 0 -> ppm 454545.45 /
    // 545454.54
    List<ClientUpdate> updates =
        List.of(
            new ClientUpdate("a", 1, w(2, 0)),
            new ClientUpdate("b", 2, w(3, 4)),
            new ClientUpdate("c", 1, w(-1, 0)));
    ContributionScores s = new CosineScorer().score(updates, w(1, 0), java.util.Set.of());
    assertThat(s.asMap())
        .containsExactly(
            java.util.Map.entry("a", 454_545L),
            java.util.Map.entry("b", 545_455L),
            java.util.Map.entry("c", 0L));
  }

  @Test
  void updatesExcludedByKrumScoreZero() {
    List<ClientUpdate> updates =
        List.of(
            new ClientUpdate("c0", 1, w(1, 1)),
            new ClientUpdate("c1", 1, w(1.1f, 1)),
            new ClientUpdate("c2", 1, w(1, 1.1f)),
            new ClientUpdate("c3", 1, w(0.9f, 1)),
            new ClientUpdate("c4", 1, w(50, 40)));
    AggregationResult r =
        Strategies.parse("multi-krum:3:1", Parallel.SERIAL)
            .aggregate(new AggregationInput(w(0, 0), updates));
    ContributionScores s = new CosineScorer().score(updates, r);
    assertThat(s.ppm("c4")).isZero();
    assertThat(sum(s)).isEqualTo(1_000_000L);
  }

  @Test
  void allZeroCosinesFallBackToSampleShares() {
    List<ClientUpdate> updates =
        List.of(new ClientUpdate("a", 1, w(0, 0)), new ClientUpdate("b", 3, w(0, 0)));
    ContributionScores s = new CosineScorer().score(updates, w(0, 0), java.util.Set.of());
    assertThat(s.asMap()).containsEntry("a", 250_000L).containsEntry("b", 750_000L);
  }

  @Test
  void remaindersGoToTheLargestFractionsThenTheEarliestClient() {
    ContributionScores thirds =
        PartsPerMillion.allocate(List.of("a", "b", "c"), new double[] {1, 1, 1}, new double[3]);
    assertThat(thirds.asMap())
        .containsExactly(
            java.util.Map.entry("a", 333_334L),
            java.util.Map.entry("b", 333_333L),
            java.util.Map.entry("c", 333_333L));
    assertThat(PartsPerMillion.allocate(List.of(), new double[0], new double[0]).scores())
        .isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> PartsPerMillion.allocate(List.of("a"), new double[] {0}, new double[] {0}))
        .hasMessageContaining("not all zero");
  }
}
