package org.fedledger.learning.partition;

import java.util.SplittableRandom;

/**
 * Independent and identically distributed: the samples are shuffled and dealt into equal parts
 * (sizes differ by at most one; the first {@code n mod clients} clients get the extra sample).
 */
public final class IidPartitioner implements Partitioner {
  @Override
  public int[][] partition(int[] labels, int classes, int clients, long seed) {
    Partitions.check(labels, classes, clients);
    int n = labels.length;
    int[] order = Partitions.range(n);
    Partitions.shuffle(order, new SplittableRandom(seed));
    int[][] parts = new int[clients][];
    int base = n / clients;
    int extra = n % clients;
    int pos = 0;
    for (int c = 0; c < clients; c++) {
      int size = base + (c < extra ? 1 : 0);
      parts[c] = new int[size];
      System.arraycopy(order, pos, parts[c], 0, size);
      pos += size;
    }
    return Partitions.sorted(parts);
  }

  @Override
  public boolean needsClasses() {
    return false;
  }

  @Override
  public String spec() {
    return "iid";
  }

  @Override
  public String toString() {
    return spec();
  }
}
