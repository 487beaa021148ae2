package org.fedledger.cli.bench;

import java.util.Arrays;

/** Percentiles of a set of latencies (nearest-rank), in milliseconds. */
record LatencyStats(double p50Ms, double p99Ms, double maxMs) {

  /** The statistics of latencies given in nanoseconds; the array is sorted in place. */
  static LatencyStats ofNanos(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("no latencies were recorded");
    }
    Arrays.sort(nanos);
    return new LatencyStats(
        millis(percentile(nanos, 50)),
        millis(percentile(nanos, 99)),
        millis(nanos[nanos.length - 1]));
  }

  /** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
  static long percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 1e4) / 100.0;
  }
}
