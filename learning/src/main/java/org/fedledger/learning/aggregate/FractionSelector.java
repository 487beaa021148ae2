package org.fedledger.learning.aggregate;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Samples {@code max(minClients, round(fraction * n))} clients (capped at n) uniformly without
 * replacement, seeded by (seed, round). Uses {@link java.util.Random}, whose algorithm the JDK
 * specifies exactly, over the candidates sorted by id, so any machine makes the same choice.
 */
public record FractionSelector(double fraction, int minClients, long seed)
    implements ClientSelector {
  public FractionSelector {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("client fraction must be in (0, 1], got " + fraction);
    }
    if (minClients < 1) {
      throw new IllegalArgumentException("at least 1 client must be selected, got " + minClients);
    }
  }

  @Override
  public List<String> select(List<String> available, long round) {
    List<String> pool = new ArrayList<>(available);
    pool.sort(null);
    int n = pool.size();
    int k = Math.min(n, Math.max(minClients, (int) Math.round(fraction * n)));
    Random random = new Random(mix(seed, round));
    // Partial Fisher-Yates: the first k positions become a uniform sample.
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(n - i);
      String tmp = pool.get(i);
      pool.set(i, pool.get(j));
      pool.set(j, tmp);
    }
    List<String> chosen = new ArrayList<>(pool.subList(0, k));
    chosen.sort(null);
    return List.copyOf(chosen);
  }

  /** SplitMix64 finaliser of seed and round, so nearby rounds get unrelated streams. */
  static long mix(long seed, long round) {
    long z = seed + 0x9E3779B97F4A7C15L * (round + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
