package org.fedledger.learning.partition;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Pathological non-IID after McMahan et al. 2017: the samples are sorted by label, cut into {@code
 * clients × k} shards of equal size (differing by at most one), and each client receives k random
 * shards. A client therefore sees at most k classes plus any class a shard straddles (usually
 * exactly k when classes are balanced and shards do not cross class boundaries). Samples of the
 * same label are shuffled before sorting, so which samples form a shard depends on the seed.
 */
public final class ShardPartitioner implements Partitioner {
  private final int shardsPerClient;

  public ShardPartitioner(int shardsPerClient) {
    if (shardsPerClient < 1) {
      throw new IllegalArgumentException(
          "shards per client must be at least 1, got " + shardsPerClient);
    }
    this.shardsPerClient = shardsPerClient;
  }

  public int shardsPerClient() {
    return shardsPerClient;
  }

  @Override
  public int[][] partition(int[] labels, int classes, int clients, long seed) {
    Partitions.check(labels, classes, clients);
    long shardCount = (long) clients * shardsPerClient;
    if (shardCount > labels.length) {
      throw new IllegalArgumentException(
          clients
              + " clients × "
              + shardsPerClient
              + " shards need at least "
              + shardCount
              + " samples, got "
              + labels.length);
    }
    SplittableRandom random = new SplittableRandom(seed);
    int n = labels.length;
    // Shuffle, then stable counting sort by label: random order within each label.
    int[] shuffled = Partitions.range(n);
    Partitions.shuffle(shuffled, random);
    int[] start = new int[classes + 1];
    for (int l : labels) {
      start[l + 1]++;
    }
    for (int k = 0; k < classes; k++) {
      start[k + 1] += start[k];
    }
    int[] byLabel = new int[n];
    int[] next = Arrays.copyOf(start, classes);
    for (int i : shuffled) {
      byLabel[next[labels[i]]++] = i;
    }
    int shards = (int) shardCount;
    int[] shardOrder = Partitions.range(shards);
    Partitions.shuffle(shardOrder, random);
    int[][] parts = new int[clients][];
    for (int c = 0; c < clients; c++) {
      int size = 0;
      for (int s = 0; s < shardsPerClient; s++) {
        int shard = shardOrder[c * shardsPerClient + s];
        size += shardEnd(shard, shards, n) - shardEnd(shard - 1, shards, n);
      }
      parts[c] = new int[size];
      int pos = 0;
      for (int s = 0; s < shardsPerClient; s++) {
        int shard = shardOrder[c * shardsPerClient + s];
        int from = shardEnd(shard - 1, shards, n);
        int to = shardEnd(shard, shards, n);
        System.arraycopy(byLabel, from, parts[c], pos, to - from);
        pos += to - from;
      }
    }
    return Partitions.sorted(parts);
  }

  // Exclusive end of shard s (s = -1 gives 0): shards differ in size by at most one.
  private static int shardEnd(int s, int shards, int n) {
    return (int) ((long) (s + 1) * n / shards);
  }

  @Override
  public String spec() {
    return "shards:" + shardsPerClient;
  }

  @Override
  public String toString() {
    return spec();
  }
}
