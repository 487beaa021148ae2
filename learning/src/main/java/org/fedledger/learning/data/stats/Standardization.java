package org.fedledger.learning.data.stats;

import java.util.Arrays;
import org.fedledger.learning.data.LabeledData;

/**
 * The per-feature mean and standard deviation every owner of a job trains with: a sample's feature
 * j becomes {@code (x - mean[j]) / std[j]}. A plain value, so that the model's first layer can
 * carry it and a prediction can take raw features.
 *
 * <p>From {@link FeatureStatistics}: mean = sum / count; std = sqrt(max(0, sumOfSquares / count -
 * mean²)), the population standard deviation, computed in double and rounded to float. A feature
 * with no samples, or whose std is below {@value #MIN_STD} (a constant column, an always-black
 * pixel), keeps std 1, so that it is shifted but never divided by (almost) zero.
 *
 * <p>Immutable.
 */
public final class Standardization {
  /** Below this standard deviation a feature is treated as constant and not scaled. */
  public static final double MIN_STD = 1e-6;

  private final float[] mean;
  private final float[] std;

  private Standardization(float[] mean, float[] std) {
    this.mean = mean;
    this.std = std;
  }

  /**
   * A standardization from its values (copied).
   *
   * @throws IllegalArgumentException if the lengths differ, a value is not finite, or a std is not
   *     positive
   */
  public static Standardization of(float[] mean, float[] std) {
    if (mean.length != std.length) {
      throw new IllegalArgumentException(
          "one mean and one std per feature: got " + mean.length + " and " + std.length);
    }
    for (int j = 0; j < mean.length; j++) {
      if (!Float.isFinite(mean[j]) || !Float.isFinite(std[j]) || std[j] <= 0) {
        throw new IllegalArgumentException(
            "feature "
                + j
                + " has mean "
                + mean[j]
                + " and std "
                + std[j]
                + "; both must be finite and the std positive");
      }
    }
    return new Standardization(mean.clone(), std.clone());
  }

  /** The standardization the statistics imply (see the class comment). */
  public static Standardization of(FeatureStatistics s) {
    int n = s.featureCount();
    float[] mean = new float[n];
    float[] std = new float[n];
    for (int j = 0; j < n; j++) {
      long count = s.count(j);
      if (count == 0) {
        std[j] = 1f;
        continue;
      }
      double m = s.sum(j) / count;
      double sd = Math.sqrt(Math.max(0, s.sumOfSquares(j) / count - m * m));
      mean[j] = (float) m;
      std[j] = sd < MIN_STD ? 1f : (float) sd;
    }
    return new Standardization(mean, std);
  }

  public int featureCount() {
    return mean.length;
  }

  /** The means, one per feature (a copy). */
  public float[] mean() {
    return mean.clone();
  }

  /** The standard deviations, one per feature, all positive (a copy). */
  public float[] std() {
    return std.clone();
  }

  /**
   * The data with every feature standardized; labels or targets unchanged.
   *
   * @throws IllegalArgumentException if the data's samples do not have {@link #featureCount()}
   *     features
   */
  public LabeledData apply(LabeledData data) {
    int width = data.featureLength();
    if (width != mean.length) {
      throw new IllegalArgumentException(
          "this standardization is for "
              + mean.length
              + " features but the data has "
              + width
              + " per sample; it was computed under another schema");
    }
    float[] x = data.features();
    for (int i = 0; i < x.length; i++) {
      int j = i % width;
      x[i] = (x[i] - mean[j]) / std[j];
    }
    return data.withFeatures(x);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Standardization s
        && Arrays.equals(mean, s.mean)
        && Arrays.equals(std, s.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "Standardization[" + mean.length + " features]";
  }
}
