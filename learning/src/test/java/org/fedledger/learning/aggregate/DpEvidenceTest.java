package org.fedledger.learning.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.fedledger.learning.tensor.NamedTensor;
import org.fedledger.learning.tensor.Weights;
import org.junit.jupiter.api.Test;

/**
 * dp-evidence over many rounds, each round's state fed to the next as a job does. Updates are what
 * DP-SGD makes of a signal: the signal plus isotropic Gaussian noise of exactly the envelope's τ
 * per coordinate (the batch-size randomness of DpBoundedMeanTest only moves the signal, which these
 * tests set directly).
 */
class DpEvidenceTest {
  /** τ = lr·s·√steps/(q·n) = 0.5·1·1/(0.1·100) = 0.05 per coordinate for 100 records. */
  private static final DpEnvelope ENVELOPE = new DpEnvelope(1.0, 1.0, 0.1, 1, 0.5);

  private static final long RECORDS = 100;
  private static final double TAU = ENVELOPE.noisePerCoordinate(RECORDS);

  private static float[] update(Random random, float[] direction, double signal) {
    return update(random, direction, signal, TAU);
  }

  private static float[] update(Random random, float[] direction, double signal, double tau) {
    float[] out = new float[direction.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = (float) (signal * direction[k] + tau * random.nextGaussian());
    }
    return out;
  }

  private static float[] unitDirection(Random random, int dim) {
    float[] d = new float[dim];
    double norm = 0;
    for (int k = 0; k < dim; k++) {
      d[k] = (float) random.nextGaussian();
      norm += (double) d[k] * d[k];
    }
    for (int k = 0; k < dim; k++) {
      d[k] = (float) (d[k] / Math.sqrt(norm));
    }
    return d;
  }

  private static StrategyAggregator dpEvidence(String spec, Parallel parallel) {
    return Strategies.parse(spec, parallel, Optional.of(ENVELOPE));
  }

  private static List<String> excludedIds(AggregationResult r) {
    return r.excluded().stream().map(Exclusion::clientId).toList();
  }

  @Test
  void honestOwnersWithoutSignalAreExcludedNoMoreOftenThanTheStatedProbability() {
    // The hardest honest case for the test: no signal at all, so each round's component is a pure
    // standard normal. 200 owners, 40 rounds, P = 0.05: the bound allows 10 exclusions on average.
    int owners = 200;
    int dim = 300;
    double p = 0.05;
    Random random = new Random(2026);
    float[] none = new float[dim];
    StrategyAggregator strategy = dpEvidence("dp-evidence:" + p, Parallel.SERIAL);
    Weights global = W.of(new float[dim]);
    ServerState state = ServerState.EMPTY;
    java.util.Set<String> everExcluded = new java.util.TreeSet<>();
    for (int round = 1; round <= 40; round++) {
      List<ClientUpdate> updates = new ArrayList<>(owners);
      for (int i = 0; i < owners; i++) {
        updates.add(
            new ClientUpdate(String.format("o%03d", i), RECORDS, W.of(update(random, none, 0))));
      }
      AggregationResult r = strategy.aggregate(new AggregationInput(global, updates, state));
      assertThat(r.rejected()).isEmpty();
      everExcluded.addAll(excludedIds(r));
      state = r.state();
    }
    assertThat(everExcluded.size()).isLessThanOrEqualTo((int) (p * owners));
    // Every owner has 40 rounds of evidence on record.
    assertThat(state.buffer(EvidenceBook.BUFFER).tensors()).hasSize(owners);
  }

  @Test
  void aConsistentSignFlipperIsExcludedWithinTenRoundsAndHonestOwnersAreNot() {
    // Nine honest owners push along one direction with a signal below the noise (0.35 against a
    // noise norm of 0.05·√2000 = 2.2); the tenth sends minus its own noised update, as a DP
    // sign-flipper does. Its expected component along the others is about -2.4 noise SDs a round.
    int dim = 2000;
    Random random = new Random(18);
    float[] direction = unitDirection(random, dim);
    StrategyAggregator strategy = dpEvidence("dp-evidence", Parallel.SERIAL);
    Weights global = W.of(new float[dim]);
    ServerState state = ServerState.EMPTY;
    int excludedIn = 0;
    for (int round = 1; round <= 30; round++) {
      List<ClientUpdate> updates = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        updates.add(new ClientUpdate("h" + i, RECORDS, W.of(update(random, direction, 0.35))));
      }
      float[] flipped = update(random, direction, 0.35);
      for (int k = 0; k < dim; k++) {
        flipped[k] = -flipped[k];
      }
      updates.add(new ClientUpdate("x-flipper", RECORDS, W.of(flipped)));
      AggregationResult r = strategy.aggregate(new AggregationInput(global, updates, state));
      assertThat(r.rejected()).as("round %d", round).isEmpty();
      if (excludedIn == 0 && !r.excluded().isEmpty()) {
        excludedIn = round;
      }
      if (excludedIn > 0) {
        // Excluded from then on, with the reason.
        assertThat(excludedIds(r)).as("round %d", round).containsExactly("x-flipper");
        assertThat(r.excluded().get(0).reason())
            .contains("since round " + excludedIn)
            .contains("honest owner reaches with probability 1e-06");
        // The aggregate is the honest owners' alone: it points along their direction.
        assertThat(VectorMath.dot(r.aggregateDelta(), W.of(direction), Parallel.SERIAL))
            .isPositive();
      } else {
        assertThat(r.excluded()).as("round %d", round).isEmpty();
      }
      state = r.state();
    }
    assertThat(excludedIn).isBetween(1, 10);
  }

  @Test
  void aRoundWithTooFewUpdatesForEvidenceStillLeavesAStateThatCountsTheRound() {
    // A node stores a round's state only if it has buffers (RoundAggregation); a round of one
    // update records no evidence, and must still leave the buffer so that the next round's state
    // carries on from step 1 rather than from an empty state.
    int dim = 50;
    Random random = new Random(5);
    float[] direction = unitDirection(random, dim);
    StrategyAggregator strategy = dpEvidence("dp-evidence", Parallel.SERIAL);
    Weights global = W.of(new float[dim]);
    AggregationResult first =
        strategy.aggregate(
            new AggregationInput(
                global,
                List.of(new ClientUpdate("c0", RECORDS, W.of(update(random, direction, 0.5)))),
                ServerState.EMPTY));
    assertThat(first.state().buffers()).isNotEmpty();
    assertThat(first.state().step()).isEqualTo(1);

    ServerState stored = ServerState.decode(first.state().encode());
    List<ClientUpdate> three = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      three.add(new ClientUpdate("c" + i, RECORDS, W.of(update(random, direction, 0.5))));
    }
    AggregationResult second = strategy.aggregate(new AggregationInput(global, three, stored));
    assertThat(second.state().step()).isEqualTo(2);
  }

  @Test
  void itNeverExcludesHalfOfTheRound() {
    // Six of ten flip: "the others' direction" is then the attackers', and the strategy, which
    // assumes a minority of attackers, must not exclude a majority whoever they are.
    int dim = 2000;
    Random random = new Random(3);
    float[] direction = unitDirection(random, dim);
    StrategyAggregator strategy = dpEvidence("dp-evidence:0.5", Parallel.SERIAL);
    Weights global = W.of(new float[dim]);
    ServerState state = ServerState.EMPTY;
    for (int round = 1; round <= 20; round++) {
      List<ClientUpdate> updates = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        float[] u = update(random, direction, 0.5);
        if (i < 6) {
          for (int k = 0; k < dim; k++) {
            u[k] = -u[k];
          }
        }
        updates.add(new ClientUpdate("c" + i, RECORDS, W.of(u)));
      }
      AggregationResult r = strategy.aggregate(new AggregationInput(global, updates, state));
      assertThat(r.excluded().size()).as("round %d", round).isLessThanOrEqualTo(4);
      state = r.state();
    }
  }

  @Test
  void aSmallSampleCountClaimBuysNoLargerPull() {
    // An owner may claim any count from 1 to its dataset's registered one, and a claim of 1 widens
    // the norm bound over 100-fold here. dp-evidence weights by the claim, so the pull shrinks with
    // it.
    int dim = 2000;
    Random random = new Random(9);
    float[] direction = unitDirection(random, dim);
    List<ClientUpdate> round = new ArrayList<>();
    long records = 400;
    double tau = ENVELOPE.noisePerCoordinate(records);
    for (int i = 0; i < 9; i++) {
      round.add(new ClientUpdate("h" + i, records, W.of(update(random, direction, 0.35, tau))));
    }
    double allowed = 0.99 * ENVELOPE.normBound(1, dim, DpBoundedMean.DEFAULT_FALSE_REJECT);
    assertThat(allowed)
        .isGreaterThan(100 * ENVELOPE.normBound(records, dim, DpBoundedMean.DEFAULT_FALSE_REJECT));
    float[] pull = new float[dim];
    for (int k = 0; k < dim; k++) {
      pull[k] = (float) (-allowed * direction[k]);
    }
    round.add(new ClientUpdate("x-claims-one", 1, W.of(pull)));
    Weights global = W.of(new float[dim]);
    AggregationResult evidence =
        dpEvidence("dp-evidence", Parallel.SERIAL).aggregate(new AggregationInput(global, round));
    AggregationResult bounded =
        Strategies.parse("dp-bounded", Parallel.SERIAL, Optional.of(ENVELOPE))
            .aggregate(new AggregationInput(global, round));
    assertThat(evidence.rejected()).isEmpty();
    assertThat(bounded.rejected()).isEmpty();
    // Both weight by sample count: the claim's weight is 1 of 3,601 records, and the honest
    // direction wins. (Unweighted, dp-bounded's mean once let the one claim outpull all nine.)
    assertThat(VectorMath.dot(evidence.aggregateDelta(), W.of(direction), Parallel.SERIAL))
        .isGreaterThan(0.2);
    assertThat(VectorMath.dot(bounded.aggregateDelta(), W.of(direction), Parallel.SERIAL))
        .isGreaterThan(0.2);
  }

  @Test
  void sameInputsAndStateGiveIdenticalBytesOnAnyThreadCountAndOrder() {
    Random random = new Random(5);
    int dim = 20_200;
    float[] direction = unitDirection(random, dim);
    List<List<ClientUpdate>> rounds = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      List<ClientUpdate> updates = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        float[] u = update(random, direction, 0.5);
        if (i == 6) {
          for (int k = 0; k < dim; k++) {
            u[k] = -u[k];
          }
        }
        updates.add(new ClientUpdate(String.format("client-%02d", i), RECORDS, W.of(u)));
      }
      rounds.add(updates);
    }
    byte[] firstWeights = null;
    byte[] firstState = null;
    for (int threads : new int[] {1, 2, 3, 8}) {
      StrategyAggregator strategy = dpEvidence("dp-evidence:0.3", new Parallel(threads));
      Weights global = W.of(new float[dim]);
      ServerState state = ServerState.EMPTY;
      for (List<ClientUpdate> updates : rounds) {
        List<ClientUpdate> shuffled = new ArrayList<>(updates);
        Collections.shuffle(shuffled, new Random(threads));
        // Each round starts from the state as a verifier gets it: decoded from its bytes.
        AggregationResult r =
            strategy.aggregate(
                new AggregationInput(global, shuffled, ServerState.decode(state.encode())));
        global = r.newGlobal();
        state = r.state();
      }
      if (firstWeights == null) {
        firstWeights = W.bytes(global);
        firstState = state.encode();
        assertThat(state.buffer(EvidenceBook.BUFFER)).isNotNull();
      } else {
        assertThat(W.bytes(global)).as("%d threads", threads).isEqualTo(firstWeights);
        assertThat(state.encode()).as("%d threads", threads).isEqualTo(firstState);
      }
    }
  }

  @Test
  void theSpecNeedsADpJobAndRefusesClippingAndBadProbabilities() {
    assertThatThrownBy(() -> Strategies.parse("dp-evidence", Parallel.SERIAL))
        .hasMessageContaining("dp-evidence bounds updates by the job's DP-SGD parameters")
        .hasMessageContaining("needs a job with differential privacy");
    assertThatThrownBy(() -> Strategies.check("dp-evidence", false))
        .hasMessageContaining("needs a job with differential privacy");
    assertThatThrownBy(() -> Strategies.check("dp-evidence+clip:1", true))
        .hasMessageContaining("drop the +clip");
    assertThatThrownBy(() -> Strategies.check("dp-evidence:0", true))
        .hasMessageContaining("(0, 0.5]");
    assertThatThrownBy(() -> Strategies.check("dp-evidence:0.6", true))
        .hasMessageContaining("(0, 0.5]");
    assertThatThrownBy(() -> Strategies.check("dp-evidence:1e-6:2", true))
        .hasMessageContaining("takes 0 to 1");
    Strategies.check("DP-Evidence:1e-4", true);
    assertThat(Strategies.needsDp(" dp-evidence:0.01")).isTrue();
    assertThat(dpEvidence("dp-evidence", Parallel.SERIAL).name()).isEqualTo("dp-evidence");
    assertThat(dpEvidence("dp-evidence:1e-4", Parallel.SERIAL).name())
        .isEqualTo("dp-evidence:1.0E-4");
  }

  @Test
  void aMalformedEvidenceStateIsRefusedWithTheRemedy() {
    TreeMap<String, Weights> buffers = new TreeMap<>();
    buffers.put(
        EvidenceBook.BUFFER,
        new Weights(List.of(new NamedTensor("c0", new long[] {2}, new float[] {1, 2}))));
    ServerState bad = new ServerState(3, buffers);
    List<ClientUpdate> updates =
        List.of(W.update("c0", RECORDS, 0.01f, 0.02f), W.update("c1", RECORDS, 0.02f, 0.01f));
    assertThatThrownBy(
            () ->
                dpEvidence("dp-evidence", Parallel.SERIAL)
                    .aggregate(new AggregationInput(W.of(new float[2]), updates, bad)))
        .hasMessageContaining("malformed entry for c0")
        .hasMessageContaining("pass the state produced by the previous round");
  }

  @Test
  void theBoundIsATimeUniformGaussianTail() {
    // One round at P = 1e-6: P(Z > t) <= 5e-7 needs t of at least 4.89 (the exact quantile).
    assertThat(-EvidenceBound.sumBound(1, 1e-6)).isBetween(4.89, 5.2);
    // Later rounds pay for the multiple looks: a higher threshold per √R.
    assertThat(-EvidenceBound.sumBound(100, 1e-6) / 10).isGreaterThan(6.0).isLessThan(6.6);
    // The largest P keeps a positive threshold.
    assertThat(EvidenceBound.tail(0.25)).isBetween(0.9, 1.1);
  }
}
