package org.fedledger.learning.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.fedledger.learning.tensor.Weights;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeterminismTest {
  // 200 x 180 + 180 = 36,180 coordinates: three blocks, the last one partial.
  private static final int ROWS = 200;
  private static final int COLS = 180;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "fedavg",
        "fedavgm",
        "fedadam",
        "median",
        "trimmed-mean:0.2",
        "krum",
        "multi-krum:4",
        "fedavg+clip:1.5"
      })
  void sameInputsGiveIdenticalBytesOnAnyThreadCountAndOrder(String spec) throws Exception {
    Weights global = W.random(new Random(42), ROWS, COLS, 1.0);
    List<ClientUpdate> updates = W.randomUpdates(7, 9, ROWS, COLS);
    AggregationResult first = run(spec, 1, global, updates);
    String hash = sha256(first);
    for (int threads : new int[] {1, 2, 8}) {
      assertThat(sha256(run(spec, threads, global, updates)))
          .as("threads=" + threads)
          .isEqualTo(hash);
    }
    List<ClientUpdate> shuffled = new ArrayList<>(updates);
    Collections.shuffle(shuffled, new Random(3));
    assertThat(sha256(run(spec, 8, global, shuffled))).isEqualTo(hash);
    // Different inputs must give a different hash (the check can fail).
    List<ClientUpdate> changed = new ArrayList<>(updates);
    changed.set(0, W.randomUpdates(99, 1, ROWS, COLS).get(0));
    assertThat(sha256(run(spec, 1, global, changed))).isNotEqualTo(hash);
  }

  private static AggregationResult run(
      String spec, int threads, Weights global, List<ClientUpdate> updates) {
    StrategyAggregator a = Strategies.parse(spec, new Parallel(threads));
    AggregationResult r1 = a.aggregate(new AggregationInput(global, updates));
    // A second round exercises the server state too.
    return a.aggregate(new AggregationInput(r1.newGlobal(), updates, r1.state()));
  }

  private static String sha256(AggregationResult r) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(W.bytes(r.newGlobal()));
    md.update(W.bytes(r.aggregateDelta()));
    md.update(r.state().encode());
    md.update(r.excluded().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(md.digest());
  }
}
