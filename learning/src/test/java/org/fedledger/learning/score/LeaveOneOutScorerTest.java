package org.fedledger.learning.score;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fedledger.learning.aggregate.AggregationInput;
import org.fedledger.learning.aggregate.ClientUpdate;
import org.fedledger.learning.aggregate.Parallel;
import org.fedledger.learning.aggregate.Strategies;
import org.fedledger.learning.tensor.NamedTensor;
import org.fedledger.learning.tensor.Weights;
import org.junit.jupiter.api.Test;

class LeaveOneOutScorerTest {
  private static Weights w(float... v) {
    return new Weights(List.of(new NamedTensor("w", new long[] {v.length}, v)));
  }

  @Test
  void clientsThatMoveTheModelTowardsTheTargetScoreAndHarmfulOnesDoNot() {
    // The "validation set" prefers models close to (4, 0): value = -squared distance.
    Evaluator closeness =
        m -> {
          float[] v = m.flatten();
          return -((v[0] - 4.0) * (v[0] - 4.0) + v[1] * v[1]);
        };
    List<ClientUpdate> updates =
        List.of(
            new ClientUpdate("good", 1, w(4, 0)),
            new ClientUpdate("ok", 1, w(2, 0)),
            new ClientUpdate("bad", 1, w(-6, 0)));
    LeaveOneOutScorer scorer =
        new LeaveOneOutScorer(Strategies.parse("fedavg", Parallel.SERIAL), closeness);
    ContributionScores s = scorer.score(new AggregationInput(w(0, 0), updates));
    assertThat(s.ppm("bad")).isZero();
    assertThat(s.ppm("good")).isGreaterThan(s.ppm("ok")).isPositive();
    assertThat(s.ppm("good") + s.ppm("ok")).isEqualTo(1_000_000L);
  }

  @Test
  void aLoneClientIsComparedWithTheUnchangedModel() {
    Evaluator sum = m -> m.flatten()[0];
    ContributionScores s =
        new LeaveOneOutScorer(Strategies.parse("fedavg", Parallel.SERIAL), sum)
            .score(new AggregationInput(w(0), List.of(new ClientUpdate("solo", 5, w(1)))));
    assertThat(s.asMap()).containsEntry("solo", 1_000_000L);
  }
}
