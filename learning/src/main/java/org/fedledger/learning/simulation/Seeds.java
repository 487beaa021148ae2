package org.fedledger.learning.simulation;

/**
 * Independent seeds for each (purpose or round, client) from a run's seed. The simulation and the
 * chain's participant agents derive their seeds here, from the same inputs (a job's seed, the
 * round, the client's index), so that the same job trains the same way in both.
 */
public final class Seeds {
  private Seeds() {}

  /** SplitMix64 finaliser over the three inputs. */
  public static long derive(long seed, long a, long b) {
    long z = seed;
    z = mix(z + 0x9E3779B97F4A7C15L * (a + 1));
    z = mix(z + 0x9E3779B97F4A7C15L * (b + 1));
    return z;
  }

  /** The seed of client's local training (its batch order) in round. */
  public static long localTraining(long seed, long round, long client) {
    return derive(seed, round, client);
  }

  /** The seed of a malicious client's update poisoning in round. */
  public static long attack(long seed, long round, long client) {
    return derive(seed ^ 0x5eedL, round, client);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
