package org.fedledger.learning.aggregate;

/**
 * Fixed-pattern double reductions over a coordinate range. Four accumulators, lane j taking
 * coordinates from + j, from + j + 4, ..., combined as (s0 + s1) + (s2 + s3): the order of
 * operations is spelled out here, not chosen by the JIT or the vector width, so every machine gets
 * the same bits, while the independent lanes run about four times faster than one serial sum.
 */
final class Sums {
  private Sums() {}

  static double dot(float[] x, float[] y, int from, int to) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int k = from;
    for (; k + 3 < to; k += 4) {
      s0 += (double) x[k] * (double) y[k];
      s1 += (double) x[k + 1] * (double) y[k + 1];
      s2 += (double) x[k + 2] * (double) y[k + 2];
      s3 += (double) x[k + 3] * (double) y[k + 3];
    }
    if (k < to) {
      s0 += (double) x[k] * (double) y[k];
    }
    if (k + 1 < to) {
      s1 += (double) x[k + 1] * (double) y[k + 1];
    }
    if (k + 2 < to) {
      s2 += (double) x[k + 2] * (double) y[k + 2];
    }
    return (s0 + s1) + (s2 + s3);
  }

  static double squaredDistance(float[] x, float[] y, int from, int to) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int k = from;
    for (; k + 3 < to; k += 4) {
      double d0 = (double) x[k] - (double) y[k];
      double d1 = (double) x[k + 1] - (double) y[k + 1];
      double d2 = (double) x[k + 2] - (double) y[k + 2];
      double d3 = (double) x[k + 3] - (double) y[k + 3];
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    if (k < to) {
      double d = (double) x[k] - (double) y[k];
      s0 += d * d;
    }
    if (k + 1 < to) {
      double d = (double) x[k + 1] - (double) y[k + 1];
      s1 += d * d;
    }
    if (k + 2 < to) {
      double d = (double) x[k + 2] - (double) y[k + 2];
      s2 += d * d;
    }
    return (s0 + s1) + (s2 + s3);
  }
}
