package org.fedledger.learning.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.fedledger.learning.tensor.Weights;
import org.junit.jupiter.api.Test;

/**
 * dp-bounded on rounds built the way DP-SGD builds updates: per step a Poisson batch of clipped
 * gradients (each of norm C, all pointing one way: the most signal clipping lets through) plus
 * Gaussian noise of the declared standard deviation, divided by the expected batch size.
 */
class DpBoundedMeanTest {
  private static final int DIM = 2000;
  private static final DpEnvelope ENVELOPE = new DpEnvelope(1.0, 1.5, 0.1, 10, 0.5);

  /** One owner's DP-SGD delta: {@code noiseScale} 1 is honest noise. */
  private static float[] dpDelta(
      Random random, float[] direction, long records, double noiseScale, DpEnvelope e) {
    double[] sum = new double[DIM];
    double expectedBatch = e.sampleRate() * records;
    for (int step = 0; step < e.steps(); step++) {
      int batch = 0;
      for (long r = 0; r < records; r++) {
        if (random.nextDouble() < e.sampleRate()) {
          batch++;
        }
      }
      for (int k = 0; k < DIM; k++) {
        double gradients = batch * e.clipNorm() * direction[k];
        double noise = noiseScale * e.noiseStddev() * random.nextGaussian();
        sum[k] += e.learningRate() * (gradients + noise) / expectedBatch;
      }
    }
    float[] out = new float[DIM];
    for (int k = 0; k < DIM; k++) {
      out[k] = (float) sum[k];
    }
    return out;
  }

  private static float[] unitDirection(Random random) {
    float[] d = new float[DIM];
    double norm = 0;
    for (int k = 0; k < DIM; k++) {
      d[k] = (float) random.nextGaussian();
      norm += (double) d[k] * d[k];
    }
    for (int k = 0; k < DIM; k++) {
      d[k] = (float) (d[k] / Math.sqrt(norm));
    }
    return d;
  }

  private static StrategyAggregator dpBounded(String spec) {
    return Strategies.parse(spec, Parallel.SERIAL, Optional.of(ENVELOPE));
  }

  private static double along(Weights w, float[] direction) {
    return VectorMath.dot(w, W.of(direction), Parallel.SERIAL);
  }

  @Test
  void honestNoisyUpdatesAreNeverRejectedAtTheStatedProbability() {
    Random random = new Random(18);
    float[] direction = unitDirection(random);
    double closest = 0;
    for (int i = 0; i < 400; i++) {
      long records = 20L + random.nextInt(400);
      ClientUpdate u =
          new ClientUpdate(
              "c" + i, records, W.of(dpDelta(random, direction, records, 1, ENVELOPE)));
      AggregationResult r =
          dpBounded("dp-bounded").aggregate(new AggregationInput(W.of(new float[DIM]), List.of(u)));
      assertThat(r.rejected()).as("owner %d with %d records", i, records).isEmpty();
      double limit = ENVELOPE.normBound(records, DIM, DpBoundedMean.DEFAULT_FALSE_REJECT);
      closest = Math.max(closest, VectorMath.norm(u.delta(), Parallel.SERIAL) / limit);
    }
    // The bound is not vacuous: the longest honest update comes within a factor 2 of it.
    assertThat(closest).isGreaterThan(0.5).isLessThan(1.0);
  }

  @Test
  void anUpdateWithThriceTheDeclaredNoiseIsRejectedWithTheReason() {
    Random random = new Random(7);
    float[] direction = unitDirection(random);
    ClientUpdate honest =
        new ClientUpdate("a-honest", 200, W.of(dpDelta(random, direction, 200, 1, ENVELOPE)));
    ClientUpdate loud =
        new ClientUpdate("b-loud", 200, W.of(dpDelta(random, direction, 200, 3, ENVELOPE)));
    AggregationResult r =
        dpBounded("dp-bounded")
            .aggregate(new AggregationInput(W.of(new float[DIM]), List.of(honest, loud)));
    assertThat(r.accepted()).containsExactly("a-honest");
    assertThat(r.rejected()).hasSize(1);
    assertThat(r.rejected().get(0).clientId()).isEqualTo("b-loud");
    assertThat(r.rejected().get(0).reason())
        .contains("exceeds")
        .contains("DP-SGD update of 200 records")
        .contains("train with the job's DP-SGD parameters");
  }

  @Test
  void aHugeUpdateIsRejectedAndLeavesTheAggregateAsIfItWereNeverSent() {
    Random random = new Random(11);
    float[] direction = unitDirection(random);
    List<ClientUpdate> honest = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      honest.add(
          new ClientUpdate("h" + i, 300, W.of(dpDelta(random, direction, 300, 1, ENVELOPE))));
    }
    float[] huge = dpDelta(random, direction, 300, 1, ENVELOPE);
    for (int k = 0; k < DIM; k++) {
      huge[k] *= -100;
    }
    List<ClientUpdate> withHuge = new ArrayList<>(honest);
    withHuge.add(new ClientUpdate("x-huge", 300, W.of(huge)));
    Weights global = W.of(new float[DIM]);
    AggregationResult attacked =
        dpBounded("dp-bounded").aggregate(new AggregationInput(global, withHuge));
    AggregationResult clean =
        dpBounded("dp-bounded").aggregate(new AggregationInput(global, honest));
    assertThat(attacked.rejected()).extracting(Rejection::clientId).containsExactly("x-huge");
    assertThat(attacked.accepted()).doesNotContain("x-huge").hasSize(5);
    assertThat(W.bytes(attacked.newGlobal())).isEqualTo(W.bytes(clean.newGlobal()));
  }

  @Test
  void clampingCutsThePullOfAttackersAtTheLongestAllowedNorm() {
    // A small clip norm: B (about 1.3) is well below what the noise lets an update's norm reach
    // (about 4.2), the room an attacker who adds no noise could fill with pull.
    DpEnvelope envelope = new DpEnvelope(0.2, 1.5, 0.1, 10, 0.5);
    Random random = new Random(42);
    float[] direction = unitDirection(random);
    List<ClientUpdate> round = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      round.add(new ClientUpdate("h" + i, 400, W.of(dpDelta(random, direction, 400, 1, envelope))));
    }
    // Each attacker spends its whole allowed norm on pulling against the honest direction.
    double allowed = 0.99 * envelope.normBound(400, DIM, DpBoundedMean.DEFAULT_FALSE_REJECT);
    double signal = envelope.signalBound(400, DpEnvelope.tailExponent(1e-6));
    assertThat(allowed).isGreaterThan(3 * signal);
    for (int i = 0; i < 3; i++) {
      float[] pull = new float[DIM];
      for (int k = 0; k < DIM; k++) {
        pull[k] = (float) (-allowed * direction[k]);
      }
      round.add(new ClientUpdate("m" + i, 400, W.of(pull)));
    }
    Weights global = W.of(new float[DIM]);
    AggregationResult bounded =
        Strategies.parse("dp-bounded", Parallel.SERIAL, Optional.of(envelope))
            .aggregate(new AggregationInput(global, round));
    AggregationResult mean =
        Strategies.parse("fedavg", Parallel.SERIAL).aggregate(new AggregationInput(global, round));
    assertThat(bounded.rejected()).isEmpty();
    // fedavg: the three attackers outpull the seven honest owners.
    assertThat(along(mean.aggregateDelta(), direction)).isNegative();
    // dp-bounded: each pull along the aggregate's direction is cut to B, the most an honest
    // update's signal can be. The honest noise in the mean turns that direction away from the
    // attack, so the cut is partial (about 40 % here): what is left of the pull is smaller than
    // under fedavg, yet still outweighs the honest owners in this worst case.
    double fedavgPull = -along(mean.aggregateDelta(), direction);
    double boundedPull = -along(bounded.aggregateDelta(), direction);
    assertThat(boundedPull).isLessThan(0.75 * fedavgPull);
  }

  @Test
  void sameInputsGiveIdenticalBytesOnAnyThreadCountAndOrder() {
    // 20,200 coordinates: more than one block, so threads really split the work.
    List<ClientUpdate> updates = new ArrayList<>();
    Random random = new Random(5);
    for (int i = 0; i < 9; i++) {
      updates.add(
          new ClientUpdate(String.format("client-%02d", i), 100, W.random(random, 200, 100, 0.1)));
    }
    // τ = 0.1 per coordinate for 100 records, and a small signal bound, so that clamping binds.
    DpEnvelope envelope = new DpEnvelope(0.01, 10, 1, 1, 1);
    Weights global = VectorMath.zerosLike(updates.get(0).delta());
    byte[] first = null;
    for (int threads : new int[] {1, 2, 3, 8}) {
      List<ClientUpdate> shuffled = new ArrayList<>(updates);
      Collections.shuffle(shuffled, new Random(threads));
      AggregationResult r =
          Strategies.parse("dp-bounded", new Parallel(threads), Optional.of(envelope))
              .aggregate(new AggregationInput(global, shuffled));
      assertThat(r.rejected()).isEmpty();
      byte[] bytes = W.bytes(r.newGlobal());
      if (first == null) {
        first = bytes;
      } else {
        assertThat(bytes).as("%d threads", threads).isEqualTo(first);
      }
    }
    // Clamping changed the result: it is not the plain mean.
    AggregationResult plain =
        Strategies.parse("fedavg", Parallel.SERIAL)
            .aggregate(new AggregationInput(global, updates));
    assertThat(first).isNotEqualTo(W.bytes(plain.newGlobal()));
  }

  @Test
  void aRoundWhoseEveryUpdateIsTooLongIsEmpty() {
    float[] big = new float[DIM];
    java.util.Arrays.fill(big, 10f);
    assertThatThrownBy(
            () ->
                dpBounded("dp-bounded")
                    .aggregate(
                        new AggregationInput(
                            W.of(new float[DIM]), List.of(W.update("a", 100, big)))))
        .isInstanceOf(EmptyRoundException.class)
        .hasMessageContaining("exceeds");
  }

  @Test
  void theSpecNeedsADpJobAndRefusesClippingAndBadProbabilities() {
    assertThatThrownBy(() -> Strategies.parse("dp-bounded", Parallel.SERIAL))
        .hasMessageContaining("needs a job with differential privacy");
    assertThatThrownBy(() -> Strategies.check("dp-bounded", false))
        .hasMessageContaining("needs a job with differential privacy");
    assertThatThrownBy(() -> Strategies.check("dp-bounded+clip:1", true))
        .hasMessageContaining("drop the +clip");
    assertThatThrownBy(() -> Strategies.check("dp-bounded:0.7", true))
        .hasMessageContaining("(0, 0.5]");
    assertThatThrownBy(() -> Strategies.check("dp-bounded:1:2", true))
        .hasMessageContaining("takes 0 to 1");
    Strategies.check("dp-bounded:1e-4", true);
    assertThat(Strategies.needsDp(" DP-Bounded ")).isTrue();
    assertThat(Strategies.needsDp("fedavg+clip:1")).isFalse();
    assertThat(dpBounded("dp-bounded:1e-4").name()).isEqualTo("dp-bounded:1.0E-4");
    assertThat(dpBounded("dp-bounded").name()).isEqualTo("dp-bounded");
    assertThat(dpBounded("dp-bounded:1.0E-4").name()).isEqualTo("dp-bounded:1.0E-4");
  }

  @Test
  void theEnvelopeRefusesNonsense() {
    assertThatThrownBy(() -> new DpEnvelope(0, 1, 0.1, 1, 0.1)).hasMessageContaining("clip norm");
    assertThatThrownBy(() -> new DpEnvelope(1, 1, 1.5, 1, 0.1)).hasMessageContaining("at most 1");
    assertThatThrownBy(() -> new DpEnvelope(1, 1, 0.1, 0, 0.1)).hasMessageContaining("steps");
    assertThatThrownBy(() -> new DpEnvelope(1, 1, 0.1, 1, Double.NaN))
        .hasMessageContaining("learning rate");
  }
}
