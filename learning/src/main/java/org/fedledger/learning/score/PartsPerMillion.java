package org.fedledger.learning.score;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Turns non-negative raw scores into integer parts per million summing to exactly 1,000,000 by the
 * largest-remainder method: each client gets floor(1e6 * s_i / S), and the leftover ppm go one each
 * to the largest fractional remainders, ties to the earlier client (lower client id). If all raw
 * scores are zero, the fallback weights are used instead.
 */
public final class PartsPerMillion {
  private PartsPerMillion() {}

  /**
   * @param clientIds client ids in canonical order
   * @param raw non-negative, finite raw scores, same order
   * @param fallback used if every raw score is zero; must have a positive sum
   */
  public static ContributionScores allocate(
      List<String> clientIds, double[] raw, double[] fallback) {
    if (clientIds.size() != raw.length || raw.length != fallback.length) {
      throw new IllegalArgumentException("client ids and scores differ in length");
    }
    if (raw.length == 0) {
      return new ContributionScores(List.of());
    }
    double[] s = sum(raw) > 0 ? raw : fallback;
    double total = sum(s);
    if (!(total > 0) || Double.isInfinite(total)) {
      throw new IllegalArgumentException("scores must be finite, non-negative, and not all zero");
    }
    long[] ppm = new long[s.length];
    double[] remainder = new double[s.length];
    long given = 0;
    for (int i = 0; i < s.length; i++) {
      if (!(s[i] >= 0) || Double.isInfinite(s[i])) {
        throw new IllegalArgumentException("score of " + clientIds.get(i) + " is " + s[i]);
      }
      double quota = s[i] / total * ContributionScores.TOTAL;
      ppm[i] = (long) Math.floor(quota);
      remainder[i] = quota - ppm[i];
      given += ppm[i];
    }
    Integer[] order = new Integer[s.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order, Comparator.<Integer>comparingDouble(i -> -remainder[i]).thenComparingInt(i -> i));
    long left = ContributionScores.TOTAL - given;
    // Floors can only undershoot, by less than one ppm per client; rounding of quota can push a
    // floor one over in pathological cases, so take back from the smallest remainders then.
    for (int r = 0; left > 0; r = (r + 1) % order.length) {
      ppm[order[r]]++;
      left--;
    }
    for (int r = order.length - 1; left < 0; r = (r - 1 + order.length) % order.length) {
      if (ppm[order[r]] > 0) {
        ppm[order[r]]--;
        left++;
      }
    }
    List<ContributionScores.ClientScore> out = new ArrayList<>(s.length);
    for (int i = 0; i < s.length; i++) {
      out.add(new ContributionScores.ClientScore(clientIds.get(i), ppm[i]));
    }
    return new ContributionScores(out);
  }

  private static double sum(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s;
  }
}
