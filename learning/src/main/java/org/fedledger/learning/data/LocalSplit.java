package org.fedledger.learning.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An owner's local test split: a seeded random fraction of its samples held out to evaluate global
 * models on (federated evaluation), the rest to train on. A pure function of the data's size, the
 * fraction and the seed, so that the owner makes the same split every time.
 */
public final class LocalSplit {
  private LocalSplit() {}

  /**
   * Holds out {@code round(fraction * size)} samples chosen by a Fisher–Yates shuffle from {@code
   * SplittableRandom(seed)}; both parts keep the original order. When the data has at least two
   * samples and the fraction is positive, each part keeps at least one sample.
   *
   * @param fraction the share held out, in [0, 1)
   * @throws IllegalArgumentException if the fraction is outside [0, 1)
   */
  public static DataSplit split(LabeledData data, double fraction, long seed) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException(
          "the local test fraction must be in [0, 1), e.g. 0.2; got " + fraction);
    }
    int n = data.size();
    int test = (int) Math.round(fraction * n);
    if (fraction > 0 && n >= 2) {
      test = Math.max(1, Math.min(n - 1, test));
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] testIdx = Arrays.copyOfRange(order, 0, test);
    int[] trainIdx = Arrays.copyOfRange(order, test, n);
    Arrays.sort(testIdx);
    Arrays.sort(trainIdx);
    return new DataSplit(
        data.subset(trainIdx),
        data.subset(testIdx),
        "local split of "
            + n
            + " samples by seed "
            + seed
            + ": "
            + trainIdx.length
            + " to train, "
            + testIdx.length
            + " held out for testing");
  }
}
