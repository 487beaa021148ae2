package org.fedledger.learning.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Classification quality.
 *
 * @param accuracy fraction of samples whose predicted class is the label
 * @param macroF1 the unweighted mean of the per-class F1 scores, over the classes that occur as a
 *     label or as a prediction (a class that does neither has no F1); a class with no true positive
 *     scores 0
 * @param auc ROC AUC of the positive class's score, only for two classes and when both occur
 */
public record ClassificationMetrics(double accuracy, double macroF1, OptionalDouble auc)
    implements Metrics {

  /**
   * Metrics of predictions against labels.
   *
   * @param labels the true class of each sample, in [0, classes)
   * @param scores one row of {@code classes} scores per sample (logits or probabilities, any
   *     monotone scale), row-major; the prediction is the row's arg-max, the first on ties
   * @param classes number of classes, at least 2
   * @throws IllegalArgumentException if the sizes disagree, a label is out of range or there are no
   *     samples
   */
  public static ClassificationMetrics of(int[] labels, float[] scores, int classes) {
    if (classes < 2) {
      throw new IllegalArgumentException("classification needs at least 2 classes, got " + classes);
    }
    int n = labels.length;
    if (n == 0) {
      throw new IllegalArgumentException("no samples to compute metrics on");
    }
    if ((long) n * classes != scores.length) {
      throw new IllegalArgumentException(
          n
              + " samples of "
              + classes
              + " classes need "
              + (long) n * classes
              + " scores, got "
              + scores.length);
    }
    long[] truePositives = new long[classes];
    long[] labelCounts = new long[classes];
    long[] predictedCounts = new long[classes];
    long correct = 0;
    for (int i = 0; i < n; i++) {
      int label = labels[i];
      if (label < 0 || label >= classes) {
        throw new IllegalArgumentException(
            "label " + label + " of sample " + i + " is outside [0, " + classes + ")");
      }
      int predicted = argMax(scores, i * classes, classes);
      labelCounts[label]++;
      predictedCounts[predicted]++;
      if (predicted == label) {
        correct++;
        truePositives[label]++;
      }
    }
    double f1Sum = 0;
    int present = 0;
    for (int c = 0; c < classes; c++) {
      if (labelCounts[c] + predictedCounts[c] == 0) {
        continue;
      }
      present++;
      // F1 = 2TP / (2TP + FP + FN) = 2TP / (predicted + actual)
      f1Sum += 2.0 * truePositives[c] / (predictedCounts[c] + labelCounts[c]);
    }
    OptionalDouble auc = OptionalDouble.empty();
    if (classes == 2) {
      double[] positive = new double[n];
      for (int i = 0; i < n; i++) {
        // Ranking by the logit margin is ranking by the softmax probability of class 1.
        positive[i] = (double) scores[2 * i + 1] - scores[2 * i];
      }
      auc = RocAuc.of(labels, positive);
    }
    return new ClassificationMetrics((double) correct / n, f1Sum / present, auc);
  }

  private static int argMax(float[] scores, int offset, int length) {
    int best = 0;
    for (int k = 1; k < length; k++) {
      if (scores[offset + k] > scores[offset + best]) {
        best = k;
      }
    }
    return best;
  }

  @Override
  public Map<String, Double> asMap() {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("accuracy", accuracy);
    out.put("macro_f1", macroF1);
    auc.ifPresent(v -> out.put("auc", v));
    return out;
  }

  @Override
  public double headline() {
    return accuracy;
  }
}
