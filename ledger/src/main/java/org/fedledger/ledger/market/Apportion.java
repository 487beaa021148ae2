package org.fedledger.ledger.market;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Divides an amount in proportion to weights by the largest-remainder method, in exact integer
 * arithmetic: part i is {@code floor(total * w_i / W)} (W the sum of the weights), and the units
 * this leaves, fewer than the number of parts, go one each to the parts with the largest remainders
 * {@code total * w_i mod W}, ties to the lower index. The parts sum to exactly {@code total}; a
 * part of weight 0 is 0; no part exceeds {@code ceil(total * w_i / W)}. The products take up to 126
 * bits, so they are computed as BigIntegers.
 */
final class Apportion {
  private Apportion() {}

  /**
   * @param total at least 0
   * @param weights each at least 0, their sum at least 1 and below 2^63
   * @return one part per weight, in the same order
   */
  static long[] largestRemainder(long total, long[] weights) {
    if (total < 0) {
      throw new IllegalArgumentException("cannot divide a negative amount " + total);
    }
    long sum = 0;
    for (long w : weights) {
      if (w < 0) {
        throw new IllegalArgumentException("negative weight " + w);
      }
      sum = Math.addExact(sum, w);
    }
    if (sum == 0) {
      throw new IllegalArgumentException("weights sum to 0: nothing to divide by");
    }
    BigInteger amount = BigInteger.valueOf(total);
    BigInteger divisor = BigInteger.valueOf(sum);
    long[] parts = new long[weights.length];
    long[] remainders = new long[weights.length];
    long given = 0;
    for (int i = 0; i < weights.length; i++) {
      BigInteger[] qr = amount.multiply(BigInteger.valueOf(weights[i])).divideAndRemainder(divisor);
      parts[i] = qr[0].longValueExact(); // at most total
      remainders[i] = qr[1].longValueExact(); // below sum
      given += parts[i]; // the floors sum to at most total: no overflow
    }
    long left = total - given;
    List<Integer> order = new ArrayList<>(weights.length);
    for (int i = 0; i < weights.length; i++) {
      order.add(i);
    }
    // Largest remainder first, ties to the lower index (List.sort is stable).
    order.sort(Comparator.comparingLong((Integer i) -> remainders[i]).reversed());
    // The remainders sum to left * W, each below W: more than left of them are positive, so a
    // part with no remainder (a weight of 0 among them) never gets a unit.
    for (int k = 0; k < left; k++) {
      parts[order.get(k)]++;
    }
    return parts;
  }
}
