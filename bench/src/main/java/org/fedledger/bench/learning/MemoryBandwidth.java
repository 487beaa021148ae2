package org.fedledger.bench.learning;

import java.util.List;
import java.util.Locale;

/**
 * Streaming read rate of this JVM on this machine: sums a float array much larger than the caches
 * (default 256 MiB) several times on one thread and prints GB/s (10^9 bytes) of each pass. The
 * yardstick for FedAvg, which reads every update once.
 */
public final class MemoryBandwidth {
  private static final String USAGE = "MemoryBandwidth [--mib 256] [--passes 10]";

  private MemoryBandwidth() {}

  public static void main(String[] argv) throws Exception {
    Args.run(USAGE, () -> run(argv));
  }

  private static void run(String[] argv) {
    Args args = new Args(argv, List.of("mib", "passes"));
    int floats = args.getInt("mib", 256) * (1 << 20) / 4;
    int passes = args.getInt("passes", 10);
    float[] a = new float[floats];
    for (int i = 0; i < floats; i++) {
      a[i] = i & 1023;
    }
    double best = 0;
    double sink = 0;
    for (int p = 0; p < passes; p++) {
      long start = System.nanoTime();
      // Eight independent sums so that add latency, not memory, is never the limit.
      float s0 = 0;
      float s1 = 0;
      float s2 = 0;
      float s3 = 0;
      float s4 = 0;
      float s5 = 0;
      float s6 = 0;
      float s7 = 0;
      for (int i = 0; i + 7 < floats; i += 8) {
        s0 += a[i];
        s1 += a[i + 1];
        s2 += a[i + 2];
        s3 += a[i + 3];
        s4 += a[i + 4];
        s5 += a[i + 5];
        s6 += a[i + 6];
        s7 += a[i + 7];
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      sink += s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
      double gbs = floats * 4.0 / seconds / 1e9;
      best = Math.max(best, gbs);
      System.out.printf(Locale.ROOT, "pass %d: %.2f GB/s%n", p + 1, gbs);
    }
    System.out.printf(
        Locale.ROOT, "best %.2f GB/s over %d MiB (checksum %.0f)%n", best, floats / 262144, sink);
  }
}
