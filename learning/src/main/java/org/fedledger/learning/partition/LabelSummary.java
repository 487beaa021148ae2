package org.fedledger.learning.partition;

/**
 * How many samples of each class each client holds: {@code counts()[client][class]}.
 *
 * @param counts per client, per class
 */
public record LabelSummary(int[][] counts) {
  /** Counts the labels of each client's samples. */
  public static LabelSummary of(int[][] partition, int[] labels, int classes) {
    int[][] counts = new int[partition.length][classes];
    for (int c = 0; c < partition.length; c++) {
      for (int i : partition[c]) {
        counts[c][labels[i]]++;
      }
    }
    return new LabelSummary(counts);
  }

  public int clients() {
    return counts.length;
  }

  /** Samples held by the client. */
  public int size(int client) {
    int n = 0;
    for (int v : counts[client]) {
      n += v;
    }
    return n;
  }

  /** Number of classes of which the client holds at least one sample. */
  public int classesPresent(int client) {
    int n = 0;
    for (int v : counts[client]) {
      if (v > 0) {
        n++;
      }
    }
    return n;
  }

  /** One line per client: {@code client 3: 120 samples [0, 60, 0, 60, ...]}. */
  public String table() {
    StringBuilder b = new StringBuilder();
    for (int c = 0; c < counts.length; c++) {
      b.append("client ").append(c).append(": ").append(size(c)).append(" samples ");
      b.append(java.util.Arrays.toString(counts[c])).append('\n');
    }
    return b.toString();
  }
}
