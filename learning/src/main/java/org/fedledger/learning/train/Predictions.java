package org.fedledger.learning.train;

import java.util.List;

/**
 * A model's raw outputs on samples, in sample order, and its loss summed over them.
 *
 * @param outputs row-major, {@code width} per sample: logits for a classifier, predicted values for
 *     a regression
 * @param width outputs per sample
 * @param lossSum the per-sample loss summed over the samples
 */
public record Predictions(float[] outputs, int width, double lossSum) {
  public Predictions {
    if (width < 1 || outputs.length % width != 0) {
      throw new IllegalArgumentException(
          outputs.length + " outputs are not a whole number of samples of " + width);
    }
  }

  public int sampleCount() {
    return outputs.length / width;
  }

  /** The predictions of consecutive parts of a data set, joined in the order given. */
  public static Predictions concat(List<Predictions> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("no predictions to join");
    }
    int width = parts.get(0).width();
    int length = 0;
    double loss = 0;
    for (Predictions p : parts) {
      if (p.width() != width) {
        throw new IllegalArgumentException(
            "predictions of width " + p.width() + " and " + width + " cannot be joined");
      }
      length = Math.addExact(length, p.outputs().length);
      loss += p.lossSum();
    }
    float[] joined = new float[length];
    int offset = 0;
    for (Predictions p : parts) {
      System.arraycopy(p.outputs(), 0, joined, offset, p.outputs().length);
      offset += p.outputs().length;
    }
    return new Predictions(joined, width, loss);
  }
}
