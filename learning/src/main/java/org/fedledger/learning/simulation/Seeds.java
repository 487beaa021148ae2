package org.fedledger.learning.simulation;

/** Independent seeds for each (purpose or round, client) from the run's seed. */
final class Seeds {
  private Seeds() {}

  /** SplitMix64 finaliser over the three inputs. */
  static long derive(long seed, long a, long b) {
    long z = seed;
    z = mix(z + 0x9E3779B97F4A7C15L * (a + 1));
    z = mix(z + 0x9E3779B97F4A7C15L * (b + 1));
    return z;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
