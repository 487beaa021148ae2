package org.fedledger.learning.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * The sum over a batch of each example's gradient clipped to norm C, which DJL cannot give: it only
 * returns the batch's summed gradient. One forward and one backward pass, as for plain training, in
 * the book-keeping style of ghost clipping (Bu et al. 2023, "Differentially private optimization on
 * large model at small cost"): a zero "probe" is added to the output of every dense and convolution
 * layer, so that after the backward pass its gradient holds each example's output gradient δ_i,
 * while the layer's input a_i was kept from the forward pass. From them:
 *
 * <ul>
 *   <li>dense: example i's weight gradient is δ_iᵀ a_i, whose norm is ‖δ_i‖·‖a_i‖, and the clipped
 *       sum is (c ⊙ δ)ᵀ A, one matrix product, with c_i = min(1, C/‖g_i‖);
 *   <li>convolution: the per-example weight gradients come from one grouped convolution of the
 *       inputs with the output gradients, one group per example (Rochette et al. 2019, "Efficient
 *       per-example gradient computations in convolutional neural networks").
 * </ul>
 *
 * The per-example norm is taken over all parameters together. The models are sequential with only
 * dense and convolution layers holding parameters; anything else is refused.
 */
final class PerExampleGradients {
  private PerExampleGradients() {}

  /** The clipped sums, one per parameter, and the batch's mean data loss. */
  record Result(List<NDArray> sums, float meanLoss) {}

  /** One layer with parameters, its input and its probe for the current batch. */
  private record Probe(Block layer, NDArray input, NDArray probe) {}

  /**
   * The clipped per-example gradients of the summed loss, summed over the batch, one array per
   * parameter in {@code Block.getParameters()} order, in the batch manager. The parameters stop
   * requiring gradients for the call ({@link #clippedSumOfFrozen}); they require them again when it
   * returns, for plain training.
   */
  static Result clippedSum(
      Block net,
      ParameterStore store,
      NDArray x,
      NDArray y,
      Loss loss,
      float clipNorm,
      List<NDArray> params,
      NDManager batch) {
    for (NDArray p : params) {
      p.setRequiresGradient(false);
    }
    try {
      return clippedSumOfFrozen(net, store, x, y, loss, clipNorm, params, batch);
    } finally {
      for (NDArray p : params) {
        p.setRequiresGradient(true);
      }
    }
  }

  /**
   * As {@link #clippedSum}, for parameters that already require no gradient: a DP-SGD round turns
   * them off once rather than at every step. Then the backward pass computes only what the probes
   * need, not also the batch's summed weight gradients (one matrix product per layer, which DP-SGD
   * would throw away).
   */
  static Result clippedSumOfFrozen(
      Block net,
      ParameterStore store,
      NDArray x,
      NDArray y,
      Loss loss,
      float clipNorm,
      List<NDArray> params,
      NDManager batch) {
    long n = x.getShape().get(0);
    List<Probe> probes = new ArrayList<>();
    float meanLoss;
    try (ThreadGradients collector = ThreadGradients.open()) {
      NDList current = new NDList(x);
      for (Pair<String, Block> child : net.getChildren()) {
        Block layer = child.getValue();
        if (layer.getParameters().isEmpty()) {
          current = layer.forward(store, current, true);
          continue;
        }
        if (!(layer instanceof Linear) && !(layer instanceof Conv2d)) {
          throw new IllegalArgumentException(
              "DP-SGD clips per example for dense and 2-D convolution layers only, not "
                  + layer.getClass().getSimpleName());
        }
        NDArray input = current.singletonOrThrow();
        NDArray output = layer.forward(store, current, true).singletonOrThrow();
        if (probes.isEmpty()) {
          // Nothing before the first layer with parameters requires a gradient (the data does not,
          // the parameters are frozen), so its output is a leaf of the graph: it can be its own
          // probe, its gradient is δ, and no zero array and addition are needed.
          output.setRequiresGradient(true);
          probes.add(new Probe(layer, input, output));
          current = new NDList(output);
        } else {
          NDArray probe = batch.zeros(output.getShape());
          probe.setRequiresGradient(true);
          probes.add(new Probe(layer, input, probe));
          current = new NDList(output.add(probe));
        }
      }
      // The loss is a batch mean; times n it is the sum of the examples' losses, whose gradient
      // with respect to example i's outputs is example i's own.
      NDArray mean = loss.evaluate(new NDList(y), current);
      meanLoss = mean.getFloat();
      collector.backward(mean.mul(n));
    }
    List<PerExample> perExample = new ArrayList<>();
    NDArray squaredNorms = null;
    for (Probe p : probes) {
      PerExample e = perExample(p, batch);
      perExample.add(e);
      squaredNorms = squaredNorms == null ? e.squaredNorms() : squaredNorms.add(e.squaredNorms());
    }
    if (squaredNorms == null) {
      throw new IllegalArgumentException("the model has no layer with parameters to clip");
    }
    // c_i = C / max(‖g_i‖, C) = C·max(‖g_i‖², C²)^(−1/2): 1 for gradients already inside the ball.
    // An (n, 1) column, which scales the rows of every layer's (n, …) arrays as it is.
    NDArray factors = squaredNorms.maximum(clipNorm * clipNorm).pow(-0.5).mul(clipNorm);
    List<NDArray> sums = new ArrayList<>();
    for (PerExample e : perExample) {
      sums.addAll(e.clippedSums(factors));
    }
    if (sums.size() != params.size()) {
      throw new IllegalStateException(
          "per-example gradients for " + sums.size() + " tensors, the model has " + params.size());
    }
    return new Result(sums, meanLoss);
  }

  private interface PerExample {
    NDArray squaredNorms();

    List<NDArray> clippedSums(NDArray factors);
  }

  private static PerExample perExample(Probe p, NDManager batch) {
    NDArray delta = LocalOptimizer.in(batch, p.probe().getGradient());
    if (p.layer() instanceof Linear) {
      return dense(p.input(), delta);
    }
    return convolution((Conv2d) p.layer(), p.input(), delta);
  }

  /** Dense: input (n, in), output gradient (n, out); weight (out, in), bias (out). */
  private static PerExample dense(NDArray input, NDArray delta) {
    // ‖g_i‖² = ‖δ_i‖²·‖a_i‖² (weight) + ‖δ_i‖² (bias), as an (n, 1) column.
    int[] features = {1};
    NDArray deltaSquares = delta.square().sum(features, true);
    NDArray squaredNorms = input.square().sum(features, true).add(1).mul(deltaSquares);
    return new PerExample() {
      @Override
      public NDArray squaredNorms() {
        return squaredNorms;
      }

      @Override
      public List<NDArray> clippedSums(NDArray factors) {
        NDArray scaled = delta.mul(factors);
        return List.of(scaled.transpose().matMul(input), scaled.sum(new int[] {0}));
      }
    };
  }

  /**
   * Convolution: input (n, cIn, h, w), output gradient (n, cOut, h', w'). Example i's weight
   * gradient [o, c, kh, kw] = Σ δ_i[o, y, x] · a_i[c, y·s + kh·d, x·s + kw·d] (padded), which is
   * the convolution of a_i's channels (as a batch of cIn) with δ_i (as cOut one-channel kernels) at
   * dilation s and stride d; grouping by example does all n at once.
   */
  private static PerExample convolution(Conv2d layer, NDArray input, NDArray delta) {
    if (layer.getGroups() != 1) {
      throw new IllegalArgumentException("DP-SGD supports ungrouped convolutions only");
    }
    Shape in = input.getShape();
    Shape out = delta.getShape();
    long n = in.get(0);
    long channelsIn = in.get(1);
    long channelsOut = out.get(1);
    NDArray kernels = delta.reshape(n * channelsOut, 1, out.get(2), out.get(3));
    NDArray perExample =
        input
            .getNDArrayInternal()
            .convolution(
                input.transpose(1, 0, 2, 3),
                kernels,
                null,
                layer.getDilation(),
                layer.getPadding(),
                layer.getStride(),
                (int) n)
            .singletonOrThrow();
    Shape kernel = layer.getKernelShape();
    // (cIn, n·cOut, kh', kw') → keep only the kernel's extent (a larger output can appear when
    // padding and input size leave room), then (cIn, n, cOut, kh, kw).
    NDArray weights =
        perExample
            .get(":, :, :" + kernel.get(0) + ", :" + kernel.get(1))
            .reshape(channelsIn, n, channelsOut, kernel.get(0), kernel.get(1));
    NDArray biases = delta.sum(new int[] {2, 3});
    NDArray squaredNorms =
        weights
            .square()
            .sum(new int[] {0, 2, 3, 4})
            .reshape(n, 1)
            .add(biases.square().sum(new int[] {1}, true));
    return new PerExample() {
      @Override
      public NDArray squaredNorms() {
        return squaredNorms;
      }

      @Override
      public List<NDArray> clippedSums(NDArray factors) {
        NDArray weightSum =
            weights.mul(factors.reshape(1, n, 1, 1, 1)).sum(new int[] {1}).transpose(1, 0, 2, 3);
        NDArray biasSum = biases.mul(factors).sum(new int[] {0});
        return List.of(weightSum, biasSum);
      }
    };
  }
}
