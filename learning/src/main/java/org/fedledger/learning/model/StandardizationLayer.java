package org.fedledger.learning.model;

import java.util.ArrayList;
import java.util.List;
import org.fedledger.learning.data.stats.Standardization;
import org.fedledger.learning.tensor.NamedTensor;
import org.fedledger.learning.tensor.Weights;

/**
 * Puts a feature standardization into a table model's weights, so that the exported model takes raw
 * features: members train on standardized inputs (x − mean) / std, and the first dense layer W·z +
 * b on those equals (W / std)·x + (b − W·(mean / std)) on raw ones. The standardization thus
 * becomes part of the first layer rather than a layer of its own, which keeps the tensors' names,
 * shapes and count, the safetensors layout and the weights hash rule exactly as for any model; a
 * model that never had a standardization is simply not folded.
 */
public final class StandardizationLayer {
  private StandardizationLayer() {}

  /**
   * The weights of a model that takes raw features and predicts what {@code weights} predict on
   * standardized ones.
   *
   * @throws IllegalArgumentException if the model is a CNN (images are not standardized) or the
   *     standardization has another number of features than the model's input
   */
  public static Weights fold(ModelSpec spec, Weights weights, Standardization standardization) {
    if (spec.type() == ModelType.CNN) {
      throw new IllegalArgumentException(
          "a standardization is for tables; a cnn's first layer is a convolution over pixels");
    }
    List<NamedTensor> tensors = weights.tensors();
    NamedTensor weight = tensors.get(0);
    NamedTensor bias = tensors.get(1);
    long[] shape = weight.shape();
    int features = standardization.featureCount();
    if (shape.length != 2 || shape[1] != features || spec.inputSize() != features) {
      throw new IllegalArgumentException(
          "the standardization is for "
              + features
              + " features but model "
              + spec
              + " takes "
              + spec.inputSize()
              + "; was it computed under another schema?");
    }
    int units = (int) shape[0];
    float[] mean = standardization.mean();
    float[] std = standardization.std();
    float[] w = weight.values();
    float[] b = bias.values();
    float[] folded = new float[w.length];
    float[] shifted = new float[b.length];
    for (int u = 0; u < units; u++) {
      double offset = b[u];
      for (int j = 0; j < features; j++) {
        double scaled = (double) w[u * features + j] / std[j];
        folded[u * features + j] = (float) scaled;
        offset -= scaled * mean[j];
      }
      shifted[u] = (float) offset;
    }
    List<NamedTensor> out = new ArrayList<>(tensors);
    out.set(0, new NamedTensor(weight.name(), shape, folded));
    out.set(1, new NamedTensor(bias.name(), bias.shape(), shifted));
    return new Weights(out);
  }
}
