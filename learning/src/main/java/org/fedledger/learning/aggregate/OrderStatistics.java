package org.fedledger.learning.aggregate;

import java.util.Arrays;

/**
 * Order statistics of small float samples without a full sort. Floats are mapped to ints that
 * compare like {@link Float#compare} (so -0.0 sorts before 0.0, exactly as {@link
 * Arrays#sort(float[])} orders them; NaN never reaches here), and the k-th smallest is found by a
 * quickselect with a median-of-three pivot, falling back to a sort after too many rounds so that no
 * input is quadratic. The value found is the k-th of the sorted order whatever the algorithm's
 * path, so results equal a sort-based median bit for bit.
 */
final class OrderStatistics {
  private OrderStatistics() {}

  /** An int whose signed order is the float's {@link Float#compare} order. */
  static int key(float f) {
    int bits = Float.floatToRawIntBits(f);
    return bits ^ ((bits >> 31) & 0x7fffffff);
  }

  static float value(int key) {
    return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7fffffff));
  }

  /** The median of keys[0..n): the middle value, or the mean of the two middle ones. */
  static float median(int[] keys, int n) {
    int k = n / 2;
    float upper = value(select(keys, n, k));
    if ((n & 1) == 1) {
      return upper;
    }
    // After selection every element before index k is <= the k-th: the largest is the (k-1)-th.
    int lower = keys[0];
    for (int i = 1; i < k; i++) {
      lower = Math.max(lower, keys[i]);
    }
    return (float) (((double) value(lower) + upper) / 2.0);
  }

  /** The k-th smallest of a[0..n) (0-based); rearranges a so that a[0..k) <= it <= a[k+1..n). */
  static int select(int[] a, int n, int k) {
    int lo = 0;
    int hi = n - 1;
    int budget = 2 * (32 - Integer.numberOfLeadingZeros(n)) + 4;
    while (hi > lo) {
      if (budget-- == 0) {
        Arrays.sort(a, lo, hi + 1);
        return a[k];
      }
      int mid = (lo + hi) >>> 1;
      int p = medianOf3(a[lo], a[mid], a[hi]);
      // Three-way partition: [lo, lt) < p, [lt, gt] == p, (gt, hi] > p.
      int lt = lo;
      int gt = hi;
      int i = lo;
      while (i <= gt) {
        int v = a[i];
        if (v < p) {
          a[i++] = a[lt];
          a[lt++] = v;
        } else if (v > p) {
          a[i] = a[gt];
          a[gt--] = v;
        } else {
          i++;
        }
      }
      if (k < lt) {
        hi = lt - 1;
      } else if (k > gt) {
        lo = gt + 1;
      } else {
        return p;
      }
    }
    return a[k];
  }

  private static int medianOf3(int a, int b, int c) {
    return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  }
}
