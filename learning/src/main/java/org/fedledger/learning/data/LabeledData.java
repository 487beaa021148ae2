package org.fedledger.learning.data;

import java.util.Arrays;

/**
 * Samples with their answers, for classification or for regression. Features are floats, row-major,
 * one sample after another in a single array. A classification sample has an int label in {@code
 * [0, classCount)}; a regression sample has {@code outputCount} float targets, also row-major in
 * one array. A LabeledData may be a view of another: {@link #subset(int[])} shares the feature and
 * answer arrays and only keeps an index, so that partitioning 70,000 images among a hundred clients
 * copies no pixels.
 *
 * <p>The label accessors ({@link #label}, {@link #labels}, {@link #classCount}, {@link
 * #classCounts}, {@link #withLabels}) are for classification and the target accessors ({@link
 * #target}, {@link #targets(int)}, {@link #copyTargets}, {@link #targets()}, {@link #withTargets})
 * for regression; calling one on the other kind is an {@link IllegalStateException} rather than a
 * silent zero, so that a regression set never trains as if it had classes. {@link #outputCount()}
 * (classes, or target values per sample) is the model's output width for both.
 *
 * <p>Immutable: the arrays passed in are owned by the instance and must not be modified; accessors
 * return copies or write into the caller's buffer.
 */
public final class LabeledData {
  private final float[] features;
  private final int[] sampleShape;
  private final int featureLength;
  // Classification: labels != null, targets == null. Regression: the reverse.
  private final int[] labels;
  private final float[] targets;
  // Classes for classification, target values per sample for regression.
  private final int outputCount;
  // Sample i of this view is row rows[i] of the backing arrays; null means the identity.
  private final int[] rows;

  private LabeledData(
      float[] features,
      int[] sampleShape,
      int[] labels,
      float[] targets,
      int outputCount,
      int[] rows) {
    this.features = features;
    this.sampleShape = sampleShape;
    this.featureLength = product(sampleShape);
    this.labels = labels;
    this.targets = targets;
    this.outputCount = outputCount;
    this.rows = rows;
  }

  /**
   * Wraps features and class labels (taking ownership of the arrays).
   *
   * @throws IllegalArgumentException if the sizes disagree or a label is out of range
   */
  public static LabeledData of(float[] features, int[] sampleShape, int[] labels, int classCount) {
    checkShape(sampleShape);
    if (classCount < 1) {
      throw new IllegalArgumentException("class count must be positive, got " + classCount);
    }
    checkFeatureCount(features, sampleShape, labels.length);
    checkLabels(labels, classCount);
    return new LabeledData(features, sampleShape.clone(), labels, null, classCount, null);
  }

  /**
   * Wraps features and regression targets (taking ownership of the arrays): {@code outputs} target
   * values per sample, row-major, so sample i's targets are {@code targets[i*outputs ..
   * (i+1)*outputs)}.
   *
   * @throws IllegalArgumentException if the sizes disagree or a target is NaN or infinite
   */
  public static LabeledData regression(
      float[] features, int[] sampleShape, float[] targets, int outputs) {
    checkShape(sampleShape);
    if (outputs < 1) {
      throw new IllegalArgumentException("a regression needs at least one output, got " + outputs);
    }
    if (targets.length % outputs != 0) {
      throw new IllegalArgumentException(
          targets.length + " target values are not a whole number of samples of " + outputs);
    }
    int samples = targets.length / outputs;
    checkFeatureCount(features, sampleShape, samples);
    for (int k = 0; k < targets.length; k++) {
      if (!Float.isFinite(targets[k])) {
        throw new IllegalArgumentException(
            "target " + (k % outputs) + " of sample " + k / outputs + " is " + targets[k]);
      }
    }
    return new LabeledData(features, sampleShape.clone(), null, targets, outputs, null);
  }

  private static void checkShape(int[] sampleShape) {
    if (sampleShape == null || sampleShape.length == 0) {
      throw new IllegalArgumentException("a sample shape needs at least one dimension");
    }
    for (int d : sampleShape) {
      if (d <= 0) {
        throw new IllegalArgumentException(
            "sample shape dimensions must be positive: " + Arrays.toString(sampleShape));
      }
    }
  }

  private static void checkFeatureCount(float[] features, int[] sampleShape, int samples) {
    int len = product(sampleShape);
    if ((long) samples * len != features.length) {
      throw new IllegalArgumentException(
          samples
              + " samples of shape "
              + Arrays.toString(sampleShape)
              + " need "
              + (long) samples * len
              + " feature values, got "
              + features.length);
    }
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
    if (rows != null) {
      return rows.length;
    }
    return labels != null ? labels.length : targets.length / outputCount;
  }

  /** True if the samples carry regression targets, false if class labels. */
  public boolean isRegression() {
    return targets != null;
  }

  /** The model's output width: the class count for classification, targets per sample otherwise. */
  public int outputCount() {
    return outputCount;
  }

  /** Number of classes (classification only). */
  public int classCount() {
    requireClassification("classCount");
    return outputCount;
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

  private void requireClassification(String what) {
    if (labels == null) {
      throw new IllegalStateException(
          what
              + " is for classification, but this data holds regression targets; use the target"
              + " accessors (targets, copyTargets, outputCount)");
    }
  }

  private void requireRegression(String what) {
    if (targets == null) {
      throw new IllegalStateException(
          what
              + " is for regression, but this data holds class labels; use the label accessors"
              + " (label, labels, classCount)");
    }
  }

  /** Sample i's class (classification only). */
  public int label(int i) {
    requireClassification("label");
    return labels[row(i)];
  }

  /** The labels of this view, in order (a copy; classification only). */
  public int[] labels() {
    requireClassification("labels");
    int[] out = new int[size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = labels[row(i)];
    }
    return out;
  }

  /** Number of samples per class, indexed by class (classification only). */
  public int[] classCounts() {
    requireClassification("classCounts");
    int[] counts = new int[outputCount];
    for (int i = 0; i < size(); i++) {
      counts[labels[row(i)]]++;
    }
    return counts;
  }

  /** Target k of sample i (regression only). */
  public float target(int i, int k) {
    requireRegression("target");
    if (k < 0 || k >= outputCount) {
      throw new IndexOutOfBoundsException("target " + k + " of " + outputCount);
    }
    return targets[row(i) * outputCount + k];
  }

  /** Copies sample i's {@link #outputCount()} targets into dst starting at offset (regression). */
  public void copyTargets(int i, float[] dst, int offset) {
    requireRegression("copyTargets");
    System.arraycopy(targets, row(i) * outputCount, dst, offset, outputCount);
  }

  /** Sample i's targets (a copy; regression only). */
  public float[] targets(int i) {
    float[] out = new float[outputCount];
    copyTargets(i, out, 0);
    return out;
  }

  /** All targets of this view, row-major (a copy; regression only). */
  public float[] targets() {
    requireRegression("targets");
    float[] out = new float[Math.multiplyExact(size(), outputCount)];
    for (int i = 0; i < size(); i++) {
      System.arraycopy(targets, row(i) * outputCount, out, i * outputCount, outputCount);
    }
    return out;
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
   * A view of the given samples of this data, in the given order, sharing the backing arrays. The
   * same index may appear more than once.
   */
  public LabeledData subset(int[] indices) {
    int[] mapped = new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      mapped[k] = row(indices[k]);
    }
    return new LabeledData(features, sampleShape, labels, targets, outputCount, mapped);
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
   * The same answers with new features (row-major, one sample of {@link #sampleShape()} per sample
   * of this view), e.g. after standardization. The result is not a view: it owns the new array and
   * a compact copy of this view's answers.
   */
  public LabeledData withFeatures(float[] newFeatures) {
    checkFeatureCount(newFeatures, sampleShape, size());
    return isRegression()
        ? new LabeledData(newFeatures, sampleShape, null, targets(), outputCount, null)
        : new LabeledData(newFeatures, sampleShape, labels(), null, outputCount, null);
  }

  /**
   * The same features with new labels (one per sample of this view), e.g. after an attack flipped
   * them. Shares the feature array. Classification only.
   */
  public LabeledData withLabels(int[] newLabels) {
    requireClassification("withLabels");
    if (newLabels.length != size()) {
      throw new IllegalArgumentException(
          "expected " + size() + " labels, one per sample, got " + newLabels.length);
    }
    checkLabels(newLabels, outputCount);
    if (rows == null) {
      return new LabeledData(features, sampleShape, newLabels.clone(), null, outputCount, null);
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
    return new LabeledData(features, sampleShape, full, null, outputCount, rows);
  }

  /**
   * The same features with new regression targets ({@link #outputCount()} per sample of this view,
   * row-major), e.g. after an attack perturbed them. Shares the feature array; the result indexes
   * its samples like this view. Regression only.
   */
  public LabeledData withTargets(float[] newTargets) {
    requireRegression("withTargets");
    if (newTargets.length != (long) size() * outputCount) {
      throw new IllegalArgumentException(
          "expected "
              + (long) size() * outputCount
              + " targets, "
              + outputCount
              + " per sample, got "
              + newTargets.length);
    }
    for (int k = 0; k < newTargets.length; k++) {
      if (!Float.isFinite(newTargets[k])) {
        throw new IllegalArgumentException(
            "target " + (k % outputCount) + " of sample " + k / outputCount + " is not finite");
      }
    }
    if (rows == null) {
      return new LabeledData(features, sampleShape, null, newTargets.clone(), outputCount, null);
    }
    // As in withLabels: targets are indexed by backing row, and repeated rows must agree.
    float[] full = targets.clone();
    boolean[] set = new boolean[targets.length / outputCount];
    for (int i = 0; i < rows.length; i++) {
      int r = rows[i];
      boolean same =
          Arrays.equals(
              full,
              r * outputCount,
              (r + 1) * outputCount,
              newTargets,
              i * outputCount,
              (i + 1) * outputCount);
      if (set[r] && !same) {
        throw new IllegalArgumentException(
            "sample " + i + " repeats an earlier sample of this view with different new targets");
      }
      System.arraycopy(newTargets, i * outputCount, full, r * outputCount, outputCount);
      set[r] = true;
    }
    return new LabeledData(features, sampleShape, null, full, outputCount, rows);
  }

  @Override
  public String toString() {
    return "LabeledData["
        + size()
        + " samples of "
        + Arrays.toString(sampleShape)
        + ", "
        + (isRegression() ? outputCount + " regression targets" : outputCount + " classes")
        + "]";
  }
}
