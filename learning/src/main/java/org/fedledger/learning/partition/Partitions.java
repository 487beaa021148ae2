package org.fedledger.learning.partition;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Helpers shared by the partitioners: argument checks, shuffling, finishing touches. */
final class Partitions {
  private Partitions() {}

  static void check(int[] labels, int classes, int clients) {
    if (classes < 1) {
      throw new IllegalArgumentException("class count must be positive, got " + classes);
    }
    if (clients < 1) {
      throw new IllegalArgumentException("need at least one client, got " + clients);
    }
    if (labels.length < clients) {
      throw new IllegalArgumentException(
          "cannot give "
              + clients
              + " clients at least one sample each from "
              + labels.length
              + " samples; use fewer clients or more data");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(
            "label " + labels[i] + " of sample " + i + " is outside [0, " + classes + ")");
      }
    }
  }

  /** Fisher-Yates shuffle of a[0..n). */
  static void shuffle(int[] a, SplittableRandom random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  static int[] range(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  /** Sorts each client's indices, so that a partition's form does not depend on how it was made. */
  static int[][] sorted(int[][] parts) {
    for (int[] p : parts) {
      Arrays.sort(p);
    }
    return parts;
  }
}
