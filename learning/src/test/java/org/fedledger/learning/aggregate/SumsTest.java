package org.fedledger.learning.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SumsTest {
  @Test
  void dotAndDistanceAreExactOnSmallIntegersForEveryTailLength() {
    for (int n = 0; n <= 11; n++) {
      float[] x = new float[n + 2];
      float[] y = new float[n + 2];
      long dot = 0;
      long dist = 0;
      for (int k = 0; k < x.length; k++) {
        x[k] = k + 1;
        y[k] = 2 * k - 3;
        if (k >= 1 && k < n + 1) {
          dot += (long) (x[k] * y[k]);
          dist += (long) ((x[k] - y[k]) * (x[k] - y[k]));
        }
      }
      assertThat(Sums.dot(x, y, 1, n + 1)).as("n=" + n).isEqualTo((double) dot);
      assertThat(Sums.squaredDistance(x, y, 1, n + 1)).as("n=" + n).isEqualTo((double) dist);
    }
  }

  @Test
  void lanesAreCombinedInTheDocumentedOrder() {
    // lanes: s0 = 1e16 + 1 (coordinates 0, 4), s1 = 1, s2 = -1e16, s3 = 1
    float big = 1e16f;
    float[] x = {big, 1, -big, 1, 1};
    float[] ones = {1, 1, 1, 1, 1};
    double s0 = (double) big + 1;
    double expected = (s0 + 1) + ((double) -big + 1);
    assertThat(Sums.dot(x, ones, 0, 5)).isEqualTo(expected);
  }

  @Test
  void krumRowGroupsCoverEveryRowOnceWithBalancedPairs() {
    for (int n = 2; n <= 40; n++) {
      for (int groups = 1; groups <= Math.min(8, n - 1); groups++) {
        int[] b = Krum.balancedRowGroups(n, groups);
        assertThat(b).hasSize(groups + 1);
        assertThat(b[0]).isZero();
        assertThat(b[groups]).isEqualTo(n - 1);
        assertThat(b).isSorted();
      }
    }
    // 101 rows, 2 groups: 5050 pairs; the first group's rows hold about half of them.
    int[] b = Krum.balancedRowGroups(101, 2);
    long first = 0;
    for (int i = 0; i < b[1]; i++) {
      first += 100 - i;
    }
    assertThat(first).isBetween(2525L, 2525L + 100);
  }
}
