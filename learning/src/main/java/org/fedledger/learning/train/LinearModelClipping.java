package org.fedledger.learning.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.ModelType;
import org.fedledger.learning.model.NativeStaging;

/**
 * DP-SGD's clipped gradient sum for a model that is one dense layer (the {@code logreg} preset: a
 * softmax classifier, or linear regression), without a backward pass. For such a model example i's
 * gradient is an outer product: the weights' is δ_i x_iᵀ and the bias' is δ_i, where δ_i is the
 * gradient of its loss with respect to its outputs o_i, known in closed form: softmax(o_i) −
 * onehot(y_i) for the cross-entropy, 2(o_i − y_i)/outputs for the mean squared error. So
 *
 * <ul>
 *   <li>its norm is ‖δ_i‖·√(‖x_i‖² + 1), with no probe at all;
 *   <li>the clipped sums are (f ⊙ δ)ᵀ X and Σ_i f_i δ_i, with f_i = min(1, C/‖g_i‖): one matrix
 *       product, the size of a plain step's weight gradient.
 * </ul>
 *
 * <p>Why by hand: {@link PerExampleGradients} does the same for any dense or convolution stack, but
 * through the engine's autograd (a probe, a backward pass, norms and factors as arrays), about
 * twenty engine calls a step, each a JNI call, a Java NDArray and a free at the batch's close,
 * which for a model this small cost more than a plain step's whole work. Here the engine does the
 * two products (outputs, and the weights' sum) and one sum; the per-example work, n × outputs
 * values, is done in Java in double.
 */
final class LinearModelClipping {
  private final int inputs;
  private final int outputs;
  private final boolean regression;
  private final NDArray weight;
  private final NDArray bias;
  // The batch's rows and its scaled output gradients reach the engine through these buffers.
  private final NativeStaging featureStaging = new NativeStaging();
  private final NativeStaging deltaStaging = new NativeStaging();
  private final double[] delta;
  private float[] features = new float[0];
  private float[] targets = new float[0];
  private float[] scaledDeltas = new float[0];

  private LinearModelClipping(ModelSpec spec, List<NDArray> params) {
    this.inputs = Math.toIntExact(spec.inputSize());
    this.outputs = spec.outputs();
    this.regression = spec.isRegression();
    this.weight = params.get(0);
    this.bias = params.get(1);
    this.delta = new double[outputs];
  }

  /** True for the specs whose model is one dense layer on the flattened input. */
  static boolean fits(ModelSpec spec) {
    return spec.type() == ModelType.LOGREG;
  }

  /**
   * Clipping for the model of a spec that {@link #fits}, whose parameters are its dense layer's
   * weight (outputs, inputs) and bias (outputs), in that order.
   */
  static LinearModelClipping of(ModelSpec spec, List<NDArray> params) {
    if (!fits(spec) || params.size() != 2) {
      throw new IllegalArgumentException("not a single dense layer: " + spec);
    }
    return new LinearModelClipping(spec, params);
  }

  /**
   * The clipped gradient sums (weight, bias) of the given records, in the batch manager, and their
   * mean data loss: what {@link PerExampleGradients#clippedSum} gives for this model.
   */
  PerExampleGradients.Result clippedSum(
      LabeledData data, int[] records, int n, float clipNorm, NDManager batch) {
    if (features.length < n * inputs) {
      features = new float[n * inputs];
      targets = new float[n * outputs];
      scaledDeltas = new float[n * outputs];
    }
    for (int i = 0; i < n; i++) {
      data.copyFeatures(records[i], features, i * inputs);
      if (regression) {
        data.copyTargets(records[i], targets, i * outputs);
      }
    }
    NDArray x = featureStaging.floats(batch, features, 0, new Shape(n, inputs));
    float[] logits =
        x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow().toFloatArray();
    double lossSum = 0;
    double clipSquared = (double) clipNorm * clipNorm;
    for (int i = 0; i < n; i++) {
      lossSum +=
          regression
              ? squaredErrorGradient(logits, i)
              : crossEntropyGradient(logits, i, data.label(records[i]));
      double deltaSquares = 0;
      for (double d : delta) {
        deltaSquares += d * d;
      }
      double inputSquares = 0;
      for (int j = i * inputs; j < (i + 1) * inputs; j++) {
        inputSquares += (double) features[j] * features[j];
      }
      // f_i = C / max(‖g_i‖, C): 1 for a gradient already inside the ball.
      double squaredNorm = deltaSquares * (inputSquares + 1);
      double factor = clipNorm / Math.sqrt(Math.max(squaredNorm, clipSquared));
      // Stored transposed, (outputs, n), so that one product with X gives the (outputs, inputs)
      // weight sum as it is laid out.
      for (int k = 0; k < outputs; k++) {
        scaledDeltas[k * n + i] = (float) (factor * delta[k]);
      }
    }
    NDArray scaled = deltaStaging.floats(batch, scaledDeltas, 0, new Shape(outputs, n));
    List<NDArray> sums = List.of(scaled.matMul(x), scaled.sum(new int[] {1}));
    return new PerExampleGradients.Result(sums, (float) (lossSum / n));
  }

  /**
   * δ ← softmax(o_i) − onehot(label), the gradient of −log softmax(o_i)[label]; returns that loss.
   * Shifting by the largest output keeps the exponentials finite.
   */
  private double crossEntropyGradient(float[] logits, int i, int label) {
    int base = i * outputs;
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < outputs; k++) {
      max = Math.max(max, logits[base + k]);
    }
    double total = 0;
    for (int k = 0; k < outputs; k++) {
      delta[k] = Math.exp(logits[base + k] - max);
      total += delta[k];
    }
    for (int k = 0; k < outputs; k++) {
      delta[k] /= total;
    }
    delta[label] -= 1;
    return Math.log(total) + max - logits[base + label];
  }

  /**
   * δ ← 2(o_i − y_i)/outputs, the gradient of the mean over outputs of (o_i − y_i)² (the loss the
   * trainer uses for regression, DJL's L2 loss with weight 1); returns that loss.
   */
  private double squaredErrorGradient(float[] outputsOfBatch, int i) {
    int base = i * outputs;
    double loss = 0;
    for (int k = 0; k < outputs; k++) {
      double error = (double) outputsOfBatch[base + k] - targets[base + k];
      delta[k] = 2 * error / outputs;
      loss += error * error;
    }
    return loss / outputs;
  }
}
