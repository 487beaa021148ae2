package org.fedledger.learning.data.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.fedledger.learning.data.LabeledData;
import org.junit.jupiter.api.Test;

class FeatureStatisticsTest {
  // Samples (1, 10), (2, 20), (3, 30) and (4, 40).
  private static final LabeledData DATA =
      LabeledData.of(
          new float[] {1, 10, 2, 20, 3, 30, 4, 40}, new int[] {2}, new int[] {0, 1, 0, 1}, 2);

  @Test
  void countsSumsAndSumsOfSquaresPerFeature() {
    FeatureStatistics s = FeatureStatistics.of(DATA);
    assertThat(s.featureCount()).isEqualTo(2);
    assertThat(s.count(0)).isEqualTo(4);
    assertThat(s.sum(0)).isEqualTo(10.0);
    assertThat(s.sumOfSquares(0)).isEqualTo(30.0);
    assertThat(s.sum(1)).isEqualTo(100.0);
    assertThat(s.sumOfSquares(1)).isEqualTo(3000.0);
  }

  @Test
  void combiningOwnersEqualsTheStatisticsOfTheirPooledData() {
    FeatureStatistics a = FeatureStatistics.of(DATA.range(0, 1));
    FeatureStatistics b = FeatureStatistics.of(DATA.range(1, 4));
    assertThat(FeatureStatistics.combine(List.of(a, b))).isEqualTo(FeatureStatistics.of(DATA));
  }

  @Test
  void combinationGivesIdenticalBytesOnAnyThreadCount() throws Exception {
    SplittableRandom random = new SplittableRandom(3);
    List<FeatureStatistics> owners = new ArrayList<>();
    for (int o = 0; o < 20; o++) {
      float[] x = new float[50 * 8];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (random.nextGaussian() * 1e3);
      }
      owners.add(FeatureStatistics.of(LabeledData.regression(x, new int[] {8}, new float[50], 1)));
    }
    byte[] expected = FeatureStatistics.combine(owners).toBytes();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<byte[]>> runs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        runs.add(pool.submit(() -> FeatureStatistics.combine(owners).toBytes()));
      }
      for (Future<byte[]> run : runs) {
        assertThat(run.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void bytesRoundTripAndNameTheirLayout() {
    FeatureStatistics s = FeatureStatistics.of(DATA);
    byte[] bytes = s.toBytes();
    assertThat(bytes).hasSize(4 + 1 + 4 + 2 * 24);
    assertThat(new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("FLFS");
    assertThat(FeatureStatistics.fromBytes(bytes)).isEqualTo(s);
    assertThat(FeatureStatistics.fromBytes(bytes).hash()).isEqualTo(s.hash());
  }

  @Test
  void refusesMalformedBytes() {
    byte[] bytes = FeatureStatistics.of(DATA).toBytes();
    assertThatThrownBy(() -> FeatureStatistics.fromBytes(new byte[3]))
        .hasMessageContaining("at least 9 bytes");
    assertThatThrownBy(() -> FeatureStatistics.fromBytes(java.util.Arrays.copyOf(bytes, 40)))
        .hasMessageContaining("need 57 bytes, got 40");
    byte[] wrongMagic = bytes.clone();
    wrongMagic[0] = 'X';
    assertThatThrownBy(() -> FeatureStatistics.fromBytes(wrongMagic))
        .hasMessageContaining("not feature statistics");
    byte[] negative = bytes.clone();
    negative[9] = (byte) 0x80; // count of feature 0 < 0
    assertThatThrownBy(() -> FeatureStatistics.fromBytes(negative))
        .hasMessageContaining("cannot be negative");
  }

  @Test
  void refusesCombiningDifferentWidthsOrNothing() {
    FeatureStatistics two = FeatureStatistics.of(DATA);
    FeatureStatistics one =
        FeatureStatistics.of(new long[] {1}, new double[] {1}, new double[] {1});
    assertThatThrownBy(() -> FeatureStatistics.combine(List.of(two, one)))
        .hasMessageContaining("statistics 1 have 1 features but the first have 2");
    assertThatThrownBy(() -> FeatureStatistics.combine(List.of()))
        .hasMessageContaining("nothing to combine");
    assertThatThrownBy(
            () -> FeatureStatistics.of(new long[] {1}, new double[] {Double.NaN}, new double[] {1}))
        .hasMessageContaining("finite");
  }
}
