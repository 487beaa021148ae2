package org.fedledger.learning.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OrderStatisticsTest {
  private static float sortedMedian(float[] v) {
    float[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return (n & 1) == 1 ? s[n / 2] : (float) (((double) s[n / 2 - 1] + s[n / 2]) / 2.0);
  }

  private static float selectedMedian(float[] v) {
    float[][] rows = new float[v.length][1];
    for (int i = 0; i < v.length; i++) {
      rows[i][0] = v[i];
    }
    int[] keys = new int[v.length];
    OrderStatistics.sortedColumn(rows, 0, keys);
    return OrderStatistics.median(keys);
  }

  @Test
  void sortingKeysGivesTheSameBitsAsSortingFloatsIncludingSignedZerosAndTies() {
    Random random = new Random(17);
    float[] palette = {
      -0.0f,
      0.0f,
      1f,
      -1f,
      Float.MIN_VALUE,
      -Float.MIN_VALUE,
      Float.MAX_VALUE,
      -Float.MAX_VALUE,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      3.5f
    };
    for (int trial = 0; trial < 20_000; trial++) {
      int n = 1 + random.nextInt(40);
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] =
            random.nextInt(3) == 0
                ? palette[random.nextInt(palette.length)]
                : (float) random.nextGaussian();
      }
      assertThat(Float.floatToRawIntBits(selectedMedian(v)))
          .as(Arrays.toString(v))
          .isEqualTo(Float.floatToRawIntBits(sortedMedian(v)));
    }
  }

  @Test
  void keysOrderLikeFloatCompare() {
    float[] v = {Float.NEGATIVE_INFINITY, -2f, -0.0f, 0.0f, Float.MIN_VALUE, 1f, Float.MAX_VALUE};
    for (int i = 0; i + 1 < v.length; i++) {
      assertThat(OrderStatistics.key(v[i])).isLessThan(OrderStatistics.key(v[i + 1]));
      assertThat(OrderStatistics.value(OrderStatistics.key(v[i]))).isEqualTo(v[i]);
    }
  }
}
