package org.fedledger.ledger.training;

import java.math.BigInteger;
import java.util.List;
import java.util.TreeMap;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.core.proto.training.OwnerEvaluation;

/**
 * A round's federated metrics: per metric name, the mean of the owners' reported values weighted by
 * their test sample counts, over the evaluations that report that name (a local split with one
 * class has no AUC, say). Integer arithmetic only, exact to the last unit before rounding half up
 * (towards positive infinity on a tie), so every validator gets the same values; sorted by name.
 */
final class FederatedMetrics {
  private FederatedMetrics() {}

  static List<Metric> of(List<OwnerEvaluation> evaluations) {
    // A TreeMap: the result's order is the names' order, never a hash order.
    TreeMap<String, BigInteger[]> sums = new TreeMap<>();
    for (OwnerEvaluation e : evaluations) {
      BigInteger weight = BigInteger.valueOf(e.getSampleCount());
      for (Metric m : e.getMetricsList()) {
        BigInteger[] s =
            sums.computeIfAbsent(
                m.getName(), n -> new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO});
        s[0] = s[0].add(BigInteger.valueOf(m.getValue()).multiply(weight));
        s[1] = s[1].add(weight);
      }
    }
    return sums.entrySet().stream()
        .map(
            entry ->
                Metric.newBuilder()
                    .setName(entry.getKey())
                    .setValue(roundedMean(entry.getValue()[0], entry.getValue()[1]))
                    .build())
        .toList();
  }

  /**
   * floor((2·sum + weight) / (2·weight)): the mean rounded half up, exact for negative sums too.
   */
  private static long roundedMean(BigInteger sum, BigInteger weight) {
    BigInteger two = BigInteger.TWO;
    BigInteger[] qr = sum.multiply(two).add(weight).divideAndRemainder(weight.multiply(two));
    BigInteger q = qr[0];
    if (qr[1].signum() < 0) {
      q = q.subtract(BigInteger.ONE); // BigInteger divides towards zero; the rule is floor
    }
    return q.longValueExact(); // a weighted mean of int64 values lies between two of them
  }
}
