package org.fedledger.learning.attack;

import java.util.Arrays;
import java.util.Random;

/** Chooses which clients are malicious: a seeded uniform sample of a fraction of them. */
public final class MaliciousClients {
  private MaliciousClients() {}

  /**
   * @return {@code round(fraction * clients)} distinct client indices in [0, clients), sorted
   */
  public static int[] choose(int clients, double fraction, long seed) {
    if (clients < 0) {
      throw new IllegalArgumentException("client count must be >= 0, got " + clients);
    }
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("malicious fraction must be in [0, 1], got " + fraction);
    }
    int k = (int) Math.round(fraction * clients);
    int[] all = new int[clients];
    for (int i = 0; i < clients; i++) {
      all[i] = i;
    }
    Random random = new Random(seed ^ 0x6d616c6963696f75L);
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(clients - i);
      int tmp = all[i];
      all[i] = all[j];
      all[j] = tmp;
    }
    int[] chosen = Arrays.copyOf(all, k);
    Arrays.sort(chosen);
    return chosen;
  }
}
