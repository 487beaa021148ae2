package org.fedledger.learning.data.stats;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.learning.data.LabeledData;

/**
 * Per-feature count, sum and sum of squares of one owner's data, or of many owners' combined: what
 * owners report before round 1 so that everyone can train on one {@link Standardization} without
 * revealing a single sample. A feature is one position of a sample's features (a column after
 * one-hot, or a pixel).
 *
 * <p>Deterministic by construction: sums are doubles accumulated in sample order ({@link #of}) and
 * combined in the order given ({@link #combine}), on one thread; Java's double arithmetic is the
 * same on every machine, so the same inputs in the same order give the same bytes ({@link
 * #toBytes}) everywhere. Callers combining many owners' reports must fix the order (the chain's:
 * e.g. by owner address).
 *
 * <p>Immutable.
 */
public final class FeatureStatistics {
  /** The first bytes of the encoding: "FLFS" and version 1. */
  private static final int MAGIC = 0x464c4653;

  private static final byte VERSION = 1;
  private static final int HEADER = 4 + 1 + 4;
  private static final int PER_FEATURE = 8 + 8 + 8;

  private final long[] counts;
  private final double[] sums;
  private final double[] sumsOfSquares;

  private FeatureStatistics(long[] counts, double[] sums, double[] sumsOfSquares) {
    this.counts = counts;
    this.sums = sums;
    this.sumsOfSquares = sumsOfSquares;
  }

  /** The statistics of every feature of data, over its samples in order. */
  public static FeatureStatistics of(LabeledData data) {
    int width = data.featureLength();
    long[] counts = new long[width];
    double[] sums = new double[width];
    double[] squares = new double[width];
    float[] row = new float[width];
    for (int i = 0; i < data.size(); i++) {
      data.copyFeatures(i, row, 0);
      for (int j = 0; j < width; j++) {
        double v = row[j];
        sums[j] += v;
        squares[j] += v * v;
      }
    }
    Arrays.fill(counts, data.size());
    return new FeatureStatistics(counts, sums, squares);
  }

  /**
   * Statistics from their parts (copied).
   *
   * @throws IllegalArgumentException if the lengths differ, a count is negative, a sum is not
   *     finite or a sum of squares is negative
   */
  public static FeatureStatistics of(long[] counts, double[] sums, double[] sumsOfSquares) {
    if (counts.length != sums.length || sums.length != sumsOfSquares.length) {
      throw new IllegalArgumentException(
          "counts, sums and sums of squares need one value per feature each, got "
              + counts.length
              + ", "
              + sums.length
              + " and "
              + sumsOfSquares.length);
    }
    for (int j = 0; j < counts.length; j++) {
      if (counts[j] < 0
          || !Double.isFinite(sums[j])
          || !Double.isFinite(sumsOfSquares[j])
          || sumsOfSquares[j] < 0) {
        throw new IllegalArgumentException(
            "feature "
                + j
                + " has count "
                + counts[j]
                + ", sum "
                + sums[j]
                + ", sum of squares "
                + sumsOfSquares[j]
                + "; counts and sums of squares cannot be negative and sums must be finite");
      }
    }
    return new FeatureStatistics(counts.clone(), sums.clone(), sumsOfSquares.clone());
  }

  /**
   * The statistics of the union of the parts' samples: counts, sums and sums of squares added
   * feature by feature, the parts in the order given.
   *
   * @throws IllegalArgumentException if there are no parts or they have different feature counts
   */
  public static FeatureStatistics combine(List<FeatureStatistics> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("nothing to combine: no statistics were given");
    }
    int width = parts.get(0).featureCount();
    long[] counts = new long[width];
    double[] sums = new double[width];
    double[] squares = new double[width];
    for (int p = 0; p < parts.size(); p++) {
      FeatureStatistics s = parts.get(p);
      if (s.featureCount() != width) {
        throw new IllegalArgumentException(
            "statistics "
                + p
                + " have "
                + s.featureCount()
                + " features but the first have "
                + width
                + "; every owner must report under the same schema");
      }
      for (int j = 0; j < width; j++) {
        counts[j] = Math.addExact(counts[j], s.counts[j]);
        sums[j] += s.sums[j];
        squares[j] += s.sumsOfSquares[j];
      }
    }
    return new FeatureStatistics(counts, sums, squares);
  }

  public int featureCount() {
    return counts.length;
  }

  public long count(int feature) {
    return counts[feature];
  }

  public double sum(int feature) {
    return sums[feature];
  }

  public double sumOfSquares(int feature) {
    return sumsOfSquares[feature];
  }

  /** The mean and standard deviation per feature that these statistics imply. */
  public Standardization standardization() {
    return Standardization.of(this);
  }

  /**
   * The blob encoding, big-endian: the ASCII magic "FLFS", a version byte (1), the feature count
   * (int32), then per feature its count (int64), sum and sum of squares (IEEE-754 float64 bits).
   */
  public byte[] toBytes() {
    ByteBuffer b = ByteBuffer.allocate(HEADER + PER_FEATURE * counts.length);
    b.putInt(MAGIC).put(VERSION).putInt(counts.length);
    for (int j = 0; j < counts.length; j++) {
      b.putLong(counts[j]).putDouble(sums[j]).putDouble(sumsOfSquares[j]);
    }
    return b.array();
  }

  /** SHA-256 of {@link #toBytes()}: what a blob of these statistics is stored under. */
  public Hash hash() {
    return Sha256.hash(toBytes());
  }

  /**
   * Decodes {@link #toBytes()}.
   *
   * @throws IllegalArgumentException if the bytes are not such an encoding (wrong magic or version,
   *     a length that disagrees with the feature count) or hold impossible values
   */
  public static FeatureStatistics fromBytes(byte[] bytes) {
    if (bytes.length < HEADER) {
      throw new IllegalArgumentException(
          "feature statistics need at least " + HEADER + " bytes, got " + bytes.length);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (b.getInt() != MAGIC || b.get() != VERSION) {
      throw new IllegalArgumentException(
          "not feature statistics: they start with \"FLFS\" and version 1");
    }
    int width = b.getInt();
    if (width < 0 || (long) width * PER_FEATURE != bytes.length - HEADER) {
      throw new IllegalArgumentException(
          "feature statistics of "
              + width
              + " features need "
              + (HEADER + (long) width * PER_FEATURE)
              + " bytes, got "
              + bytes.length);
    }
    long[] counts = new long[width];
    double[] sums = new double[width];
    double[] squares = new double[width];
    for (int j = 0; j < width; j++) {
      counts[j] = b.getLong();
      sums[j] = b.getDouble();
      squares[j] = b.getDouble();
    }
    return of(counts, sums, squares);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureStatistics s && Arrays.equals(toBytes(), s.toBytes());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(toBytes());
  }

  @Override
  public String toString() {
    return "FeatureStatistics[" + counts.length + " features]";
  }
}
