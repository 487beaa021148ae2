package org.fedledger.learning.metrics;

import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * Exact ROC AUC of binary scores: the probability that a random positive scores above a random
 * negative, ties counting one half. Computed from ranks (the Mann-Whitney U statistic) in O(n log
 * n), with tied scores sharing their mean rank, which is what makes ties count one half.
 */
public final class RocAuc {
  private RocAuc() {}

  /**
   * The AUC of scores for the positive class against labels 0 (negative) and 1 (positive).
   *
   * @return empty when only one class is present: the AUC is then undefined
   * @throws IllegalArgumentException if the lengths differ, a label is not 0 or 1, or a score is
   *     NaN
   */
  public static OptionalDouble of(int[] labels, double[] positiveScores) {
    if (labels.length != positiveScores.length) {
      throw new IllegalArgumentException(
          labels.length + " labels but " + positiveScores.length + " scores; give one per sample");
    }
    int n = labels.length;
    long positives = 0;
    for (int i = 0; i < n; i++) {
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException(
            "ROC AUC needs labels 0 and 1, but sample " + i + " has label " + labels[i]);
      }
      if (Double.isNaN(positiveScores[i])) {
        throw new IllegalArgumentException("score of sample " + i + " is NaN");
      }
      positives += labels[i];
    }
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      return OptionalDouble.empty();
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(positiveScores[a], positiveScores[b]));
    // Sum of the positives' ranks (1-based), each run of equal scores taking its mean rank.
    double positiveRankSum = 0;
    int start = 0;
    while (start < n) {
      int end = start;
      while (end + 1 < n && positiveScores[order[end + 1]] == positiveScores[order[start]]) {
        end++;
      }
      double meanRank = (start + end) / 2.0 + 1;
      for (int k = start; k <= end; k++) {
        if (labels[order[k]] == 1) {
          positiveRankSum += meanRank;
        }
      }
      start = end + 1;
    }
    double u = positiveRankSum - positives * (positives + 1) / 2.0;
    return OptionalDouble.of(u / ((double) positives * negatives));
  }
}
