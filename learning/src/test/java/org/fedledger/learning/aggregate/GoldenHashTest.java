package org.fedledger.learning.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.fedledger.learning.tensor.Weights;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pins the exact bits each strategy produces for fixed inputs (built with {@link java.util.Random},
 * whose output the JDK specifies). Validators running different fedledger versions or machines must
 * agree bit for bit, so a change to any strategy's order of operations is a consensus change: if
 * this test fails, the change must be deliberate and versioned, not a refactoring.
 */
class GoldenHashTest {
  @ParameterizedTest
  @CsvSource({
    "fedavg, 0ecfccd65c8afdd3767692f268f02afbee2bdb485b47bb1d9ceb2e9af8dbf675",
    "fedavgm, 6ba002dd620e5144281d30606881a77463f328c7d451570fc0efbe28cd477da8",
    "fedadam, 9beaa3e7235b8eeb8dfb6806b0eec68ba7820e04bc1f5e4a53969639ebdbcc5c",
    "median, 35d4aecf9eaa5429ac32db0fc969fa477bd5c03cb56ec718d44e488697404305",
    "trimmed-mean:0.2, b0f6853f589f32b7edc8bd36c8bb2b3ff5fe27959e2360c5df7dd64c555a86cb",
    "krum, e90f737b7cbc482cc961e0552cdb12b6052254a6dca988706c007a9e6bf867e6",
    "multi-krum:3, 2f980f0e1e886c59aae559f16d7911c5b5e5db4bb717d0cd2b6623fe40c0202d",
    "fedavg+clip:2.0, 69ca294a6268f69554dd20bff1e25e7db5624ef75954b25c66a82f44b25b8bed"
  })
  void aggregatesOfFixedInputsHaveTheRecordedHash(String strategy, String expected)
      throws Exception {
    Weights global = W.random(new Random(1), 64, 300, 1.0);
    List<ClientUpdate> updates = W.randomUpdates(2, 7, 64, 300);
    StrategyAggregator a = Strategies.parse(strategy, new Parallel(3));
    AggregationResult r1 = a.aggregate(new AggregationInput(global, updates));
    AggregationResult r2 =
        a.aggregate(
            new AggregationInput(r1.newGlobal(), W.randomUpdates(3, 7, 64, 300), r1.state()));
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(W.bytes(r2.newGlobal()));
    md.update(r2.state().encode());
    assertThat(HexFormat.of().formatHex(md.digest())).as(strategy).isEqualTo(expected);
  }
}
