package org.fedledger.learning.model;

import java.util.ArrayList;
import java.util.List;
import org.fedledger.learning.data.stats.Standardization;
import org.fedledger.learning.tensor.NamedTensor;
import org.fedledger.learning.tensor.Weights;

/**
 * A model trained on standardized features, made to take raw ones: the standardization becomes part
 * of its first (dense) layer. With W and b that layer's weight ([outputs, features]) and bias, and
 * m and s the features' means and deviations, W((x − m)/s) + b = W′x + b′ with W′ = W/s (column by
 * column) and b′ = b − W′m; the rest of the model is unchanged. Computed in double precision.
 * Models whose first layer is a convolution (the CNN) cannot take it this way.
 */
public final class StandardizedWeights {
  private StandardizedWeights() {}

  /**
   * @throws IllegalArgumentException if the model is a CNN, or the standardization is for another
   *     number of features than the model takes
   */
  public static Weights fold(ModelSpec spec, Weights weights, Standardization standardization) {
    if (spec.type() == ModelType.CNN) {
      throw new IllegalArgumentException(
          "a standardization folds into a dense first layer (logreg, linear, mlp), not a CNN's"
              + " convolution; standardize tables, not images");
    }
    NamedTensor weight = weights.tensors().get(0);
    NamedTensor bias = weights.tensors().get(1);
    int features = standardization.featureCount();
    if (weight.shape().length != 2 || weight.shape()[1] != features) {
      throw new IllegalArgumentException(
          "the model's first layer takes "
              + (weight.shape().length == 2 ? weight.shape()[1] : -1)
              + " features but the standardization is for "
              + features);
    }
    int outputs = (int) weight.shape()[0];
    float[] mean = standardization.mean();
    float[] std = standardization.std();
    float[] w = weight.values();
    float[] b = bias.values();
    float[] foldedW = new float[w.length];
    float[] foldedB = new float[b.length];
    for (int o = 0; o < outputs; o++) {
      double shift = 0;
      for (int i = 0; i < features; i++) {
        double scaled = (double) w[o * features + i] / std[i];
        foldedW[o * features + i] = (float) scaled;
        shift += scaled * mean[i];
      }
      foldedB[o] = (float) (b[o] - shift);
    }
    List<NamedTensor> tensors = new ArrayList<>(weights.tensors());
    tensors.set(0, new NamedTensor(weight.name(), weight.shape(), foldedW));
    tensors.set(1, new NamedTensor(bias.name(), bias.shape(), foldedB));
    return new Weights(tensors);
  }
}
