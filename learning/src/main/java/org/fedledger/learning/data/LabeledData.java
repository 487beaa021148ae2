package org.fedledger.learning.data;

import java.util.Arrays;

/**
 * Labelled samples for classification: features as floats, row-major, one sample after another in a
 * single array; an int label per sample in {@code [0, classCount)}. A LabeledData may be a view of
 * another: {@link #subset(int[])} shares the feature array and only keeps an index, so that
 * partitioning 70,000 images among a hundred clients copies no pixels.
 *
 * <p>Immutable: the arrays passed in are owned by the instance and must not be modified; accessors
 * return copies or write into the caller's buffer.
 */
public final class LabeledData {
  private final float[] features;
  private final int[] sampleShape;
  private final int featureLength;
  private final int[] labels;
  private final int classCount;
  // Sample i of this view is row rows[i] of the backing arrays; null means the identity.
  private final int[] rows;

  private LabeledData(
      float[] features, int[] sampleShape, int[] labels, int classCount, int[] rows) {
    this.features = features;
    this.sampleShape = sampleShape;
    this.featureLength = product(sampleShape);
    this.labels = labels;
    this.classCount = classCount;
    this.rows = rows;
  }

  /**
   * Wraps features and labels (taking ownership of the arrays).
   *
   * @throws IllegalArgumentException if the sizes disagree or a label is out of range
   */
  public static LabeledData of(float[] features, int[] sampleShape, int[] labels, int classCount) {
    if (sampleShape == null || sampleShape.length == 0) {
      throw new IllegalArgumentException("a sample shape needs at least one dimension");
    }
    for (int d : sampleShape) {
      if (d <= 0) {
        throw new IllegalArgumentException(
            "sample shape dimensions must be positive: " + Arrays.toString(sampleShape));
      }
    }
    if (classCount < 1) {
      throw new IllegalArgumentException("class count must be positive, got " + classCount);
    }
    int len = product(sampleShape);
    if ((long) labels.length * len != features.length) {
      throw new IllegalArgumentException(
          labels.length
              + " labels of shape "
              + Arrays.toString(sampleShape)
              + " need "
              + (long) labels.length * len
              + " feature values, got "
              + features.length);
    }
    checkLabels(labels, classCount);
    return new LabeledData(features, sampleShape.clone(), labels, classCount, null);
  }

  private static void checkLabels(int[] labels, int classCount) {
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classCount) {
        throw new IllegalArgumentException(
            "label " + labels[i] + " of sample " + i + " is outside [0, " + classCount + ")");
      }
    }
  }

  private static int product(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  public int size() {
    return rows == null ? labels.length : rows.length;
  }

  public int classCount() {
    return classCount;
  }

  /** Shape of one sample, e.g. [1, 28, 28]. */
  public int[] sampleShape() {
    return sampleShape.clone();
  }

  /** Number of feature values per sample. */
  public int featureLength() {
    return featureLength;
  }

  private int row(int i) {
    if (i < 0 || i >= size()) {
      throw new IndexOutOfBoundsException("sample " + i + " of " + size());
    }
    return rows == null ? i : rows[i];
  }

  public int label(int i) {
    return labels[row(i)];
  }

  /** The labels of this view, in order (a copy). */
  public int[] labels() {
    int[] out = new int[size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = labels[rows == null ? i : rows[i]];
    }
    return out;
  }

  /** Number of samples per class, indexed by class. */
  public int[] classCounts() {
    int[] counts = new int[classCount];
    for (int i = 0; i < size(); i++) {
      counts[label(i)]++;
    }
    return counts;
  }

  /** Copies sample i's features into dst starting at offset. */
  public void copyFeatures(int i, float[] dst, int offset) {
    System.arraycopy(features, row(i) * featureLength, dst, offset, featureLength);
  }

  /** Sample i's features (a copy). */
  public float[] features(int i) {
    float[] out = new float[featureLength];
    copyFeatures(i, out, 0);
    return out;
  }

  /** All features of this view, row-major (a copy). */
  public float[] features() {
    float[] out = new float[Math.multiplyExact(size(), featureLength)];
    for (int i = 0; i < size(); i++) {
      copyFeatures(i, out, i * featureLength);
    }
    return out;
  }

  /**
   * A view of the given samples of this data, in the given order, sharing the feature array. The
   * same index may appear more than once.
   */
  public LabeledData subset(int[] indices) {
    int[] mapped = new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      mapped[k] = row(indices[k]);
    }
    return new LabeledData(features, sampleShape, labels, classCount, mapped);
  }

  /** Samples [from, to) of this view. */
  public LabeledData range(int from, int to) {
    if (from < 0 || to > size() || from > to) {
      throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of " + size());
    }
    int[] idx = new int[to - from];
    for (int k = 0; k < idx.length; k++) {
      idx[k] = from + k;
    }
    return subset(idx);
  }

  /**
   * The same features with new labels (one per sample of this view), e.g. after an attack flipped
   * them. Shares the feature array.
   */
  public LabeledData withLabels(int[] newLabels) {
    if (newLabels.length != size()) {
      throw new IllegalArgumentException(
          "expected " + size() + " labels, one per sample, got " + newLabels.length);
    }
    checkLabels(newLabels, classCount);
    if (rows == null) {
      return new LabeledData(features, sampleShape, newLabels.clone(), classCount, null);
    }
    // A view's labels are indexed by backing row; build a full-length label array for the rows
    // this view uses. Rows repeated in the view must then agree on their new label.
    int[] full = labels.clone();
    boolean[] set = new boolean[labels.length];
    for (int i = 0; i < rows.length; i++) {
      int r = rows[i];
      if (set[r] && full[r] != newLabels[i]) {
        throw new IllegalArgumentException(
            "sample " + i + " repeats an earlier sample of this view with a different new label");
      }
      full[r] = newLabels[i];
      set[r] = true;
    }
    return new LabeledData(features, sampleShape, full, classCount, rows);
  }

  @Override
  public String toString() {
    return "LabeledData["
        + size()
        + " samples of "
        + Arrays.toString(sampleShape)
        + ", "
        + classCount
        + " classes]";
  }
}
