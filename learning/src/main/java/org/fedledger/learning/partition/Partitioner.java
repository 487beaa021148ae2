package org.fedledger.learning.partition;

import java.util.Locale;
import org.fedledger.learning.data.LabeledData;

/**
 * Splits sample indices among clients. Implementations are pure functions of their arguments: the
 * same labels, class count, client count and seed always give the same partition, on any machine
 * (they use {@link java.util.SplittableRandom} and {@link StrictMath}, never hash order). Every
 * index in {@code [0, labels.length)} is assigned to exactly one client, each client's indices are
 * in ascending order, and no client is empty.
 */
public interface Partitioner {
  /**
   * Partitions the samples.
   *
   * @param labels the label of every sample, each in {@code [0, classes)}
   * @param classes number of classes
   * @param clients number of clients (at least 1, at most the number of samples)
   * @param seed seeds every random choice
   * @return for each client, the indices of its samples
   * @throws IllegalArgumentException if the arguments make a valid partition impossible
   */
  int[][] partition(int[] labels, int classes, int clients, long seed);

  /**
   * True if the partition depends on the samples' classes (label skew), false if only on their
   * number.
   */
  default boolean needsClasses() {
    return true;
  }

  /**
   * Partitions labelled data: by its classes for classification; for regression, whose samples have
   * no classes, only a partitioner that ignores them ({@code iid}) applies. Dirichlet and shards
   * skew owners by class and have no meaning without classes, so they are refused rather than given
   * an invented one (such as bins of the target).
   *
   * @throws IllegalArgumentException for regression data and a partitioner that needs classes
   */
  default int[][] partition(LabeledData data, int clients, long seed) {
    if (!data.isRegression()) {
      return partition(data.labels(), data.classCount(), clients, seed);
    }
    if (needsClasses()) {
      throw new IllegalArgumentException(
          spec() + " splits owners by class, but regression data has no classes; use iid");
    }
    return partition(new int[data.size()], 1, clients, seed);
  }

  /** The text form, as accepted by {@link #parse(String)}. */
  String spec();

  /**
   * Parses {@code iid}, {@code dirichlet:ALPHA} (ALPHA > 0, e.g. 0.5) or {@code shards:K} (K ≥ 1
   * shards, hence about K classes, per client).
   */
  static Partitioner parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException(
          "empty partitioner spec; use iid, dirichlet:ALPHA or shards:K");
    }
    String s = spec.trim().toLowerCase(Locale.ROOT);
    int colon = s.indexOf(':');
    String kind = colon < 0 ? s : s.substring(0, colon);
    String arg = colon < 0 ? null : s.substring(colon + 1).trim();
    switch (kind) {
      case "iid":
        if (arg != null) {
          throw new IllegalArgumentException("iid takes no parameter, got '" + spec + "'");
        }
        return new IidPartitioner();
      case "dirichlet":
        return new DirichletPartitioner(parseDouble(spec, arg, "dirichlet:ALPHA, e.g. 0.5"));
      case "shards":
        return new ShardPartitioner(parseInt(spec, arg, "shards:K, e.g. shards:2"));
      default:
        throw new IllegalArgumentException(
            "unknown partitioner '" + spec + "'; use iid, dirichlet:ALPHA or shards:K");
    }
  }

  private static double parseDouble(String spec, String arg, String form) {
    if (arg == null || arg.isEmpty()) {
      throw new IllegalArgumentException("'" + spec + "' needs a parameter: " + form);
    }
    try {
      return Double.parseDouble(arg);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + spec + "': not a number: " + arg + "; " + form, e);
    }
  }

  private static int parseInt(String spec, String arg, String form) {
    if (arg == null || arg.isEmpty()) {
      throw new IllegalArgumentException("'" + spec + "' needs a parameter: " + form);
    }
    try {
      return Integer.parseInt(arg);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + spec + "': not an integer: " + arg + "; " + form, e);
    }
  }
}
