package org.fedledger.learning.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fedledger.learning.attack.SignFlip;
import org.fedledger.learning.tensor.Weights;
import org.junit.jupiter.api.Test;

/**
 * A synthetic round: 10 clients whose honest deltas scatter around a common direction; 3 of them
 * (30%) send their delta sign-flipped and scaled by 3. Robust strategies must stay near the honest
 * mean while FedAvg is dragged past zero.
 */
class RobustnessTest {
  private static final int DIM = 2000;

  private final List<ClientUpdate> honest = new ArrayList<>();
  private final List<ClientUpdate> all = new ArrayList<>();
  private final Weights global = W.of(new float[DIM]);

  RobustnessTest() {
    Random random = new Random(2024);
    float[] direction = new float[DIM];
    for (int k = 0; k < DIM; k++) {
      direction[k] = (float) random.nextGaussian();
    }
    SignFlip attack = new SignFlip(3);
    for (int i = 0; i < 10; i++) {
      float[] d = new float[DIM];
      for (int k = 0; k < DIM; k++) {
        d[k] = (float) (direction[k] + 0.3 * random.nextGaussian());
      }
      Weights delta = W.of(d);
      boolean malicious = i % 3 == 1; // clients 1, 4, 7
      ClientUpdate u =
          new ClientUpdate("c" + i, 100, malicious ? attack.poisonUpdate(delta, i) : delta);
      all.add(u);
      if (!malicious) {
        honest.add(u);
      }
    }
  }

  private double distanceToHonestMean(String strategy) {
    Weights honestMean = WeightedMean.mean(honest, Parallel.SERIAL);
    Weights got =
        Strategies.parse(strategy, Parallel.SERIAL)
            .aggregate(new AggregationInput(global, all))
            .aggregateDelta();
    return VectorMath.norm(VectorMath.subtract(got, honestMean), Parallel.SERIAL)
        / VectorMath.norm(honestMean, Parallel.SERIAL);
  }

  @Test
  void fedAvgIsPulledAwayFromTheHonestMean() {
    // 0.7 * h - 0.9 * h = -0.2 h: relative distance about 1.2
    assertThat(distanceToHonestMean("fedavg")).isGreaterThan(1.0);
  }

  @Test
  void medianStaysCloseToTheHonestMean() {
    assertThat(distanceToHonestMean("median")).isLessThan(0.25);
    assertThat(distanceToHonestMean("trimmed-mean:0.3")).isLessThan(0.25);
  }

  @Test
  void multiKrumExcludesEveryAttackerAndStaysCloseToTheHonestMean() {
    assertThat(distanceToHonestMean("multi-krum:5")).isLessThan(0.1);
    AggregationResult r =
        Strategies.parse("multi-krum:5:3", Parallel.SERIAL)
            .aggregate(new AggregationInput(global, all));
    assertThat(r.excluded()).extracting(Exclusion::clientId).contains("c1", "c4", "c7");
    assertThat(distanceToHonestMean("krum")).isLessThan(0.5);
  }
}
