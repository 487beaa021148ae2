package org.fedledger.learning.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.fedledger.learning.tensor.NamedTensor;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.learning.train.Engines;

/**
 * Turns a {@link ModelSpec} into a DJL {@link Block} and moves parameters between blocks and {@link
 * Weights}. Tensor names and order are those of DJL's {@code Block.getParameters()}, e.g. {@code
 * 02Linear_weight}.
 *
 * <p>Initial weights are drawn in Java, not by the engine, so that the same spec and seed give the
 * same bytes on every machine and every PyTorch version: each tensor is filled from one {@link
 * SplittableRandom} seeded with the seed, in parameter order, with PyTorch's default scheme for
 * dense and convolution layers: weights and biases uniform in ±1/√fanIn, where fanIn is the number
 * of inputs to one output unit (in-features, or in-channels × kernel area).
 */
public final class Models {
  private Models() {}

  /** A new, uninitialised block for the spec. */
  public static Block build(ModelSpec spec) {
    SequentialBlock net = new SequentialBlock();
    switch (spec.type()) {
      case LOGREG:
        net.add(Blocks.batchFlattenBlock(spec.inputSize()));
        break;
      case MLP:
        net.add(Blocks.batchFlattenBlock(spec.inputSize()));
        for (int h : spec.hidden()) {
          net.add(Linear.builder().setUnits(h).build());
          net.add(Activation.reluBlock());
        }
        break;
      case CNN:
        // McMahan et al. 2017: two 5x5 convolutions (32, 64 channels) each followed by ReLU and
        // 2x2 max pooling; 'same' padding keeps 28x28 -> 14x14 -> 7x7.
        net.add(conv(32))
            .add(Activation.reluBlock())
            .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
            .add(conv(64))
            .add(Activation.reluBlock())
            .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
            .add(Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(spec.hidden().get(0)).build())
            .add(Activation.reluBlock());
        break;
      default:
        throw new IllegalArgumentException("unsupported model type " + spec.type());
    }
    net.add(Linear.builder().setUnits(spec.outputs()).build());
    return net;
  }

  private static Conv2d conv(int filters) {
    return Conv2d.builder()
        .setKernelShape(new Shape(5, 5))
        .setFilters(filters)
        .optPadding(new Shape(2, 2))
        .build();
  }

  /** The input shape of a batch of n samples. */
  public static Shape batchShape(ModelSpec spec, long n) {
    long[] s = spec.inputShape();
    long[] out = new long[s.length + 1];
    out[0] = n;
    System.arraycopy(s, 0, out, 1, s.length);
    return new Shape(out);
  }

  /** Builds the block and initialises it (with engine defaults) in the given manager. */
  public static Block buildInitialized(ModelSpec spec, NDManager manager) {
    Block block = build(spec);
    block.initialize(manager, DataType.FLOAT32, batchShape(spec, 1));
    return block;
  }

  /**
   * Deterministic initial weights for the spec: the same spec and seed give the same values on any
   * machine (see the class comment for the scheme).
   */
  public static Weights initialWeights(ModelSpec spec, long seed) {
    List<Pair<String, long[]>> shapes = parameterShapes(spec);
    SplittableRandom random = new SplittableRandom(seed);
    List<NamedTensor> tensors = new ArrayList<>(shapes.size());
    long fanIn = 1;
    for (Pair<String, long[]> p : shapes) {
      long[] shape = p.getValue();
      if (shape.length >= 2) {
        fanIn = 1;
        for (int i = 1; i < shape.length; i++) {
          fanIn *= shape[i];
        }
      }
      // A bias (rank 1) follows its weight and shares its fan-in.
      double bound = 1.0 / Math.sqrt((double) fanIn);
      float[] values = new float[Math.toIntExact(count(shape))];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
      }
      tensors.add(new NamedTensor(p.getKey(), shape, values));
    }
    return new Weights(tensors);
  }

  /** Names and shapes of the spec's parameters, in DJL's order. */
  public static List<Pair<String, long[]>> parameterShapes(ModelSpec spec) {
    try (NDManager manager = Engines.pytorch().newBaseManager()) {
      Block block = buildInitialized(spec, manager);
      List<Pair<String, long[]>> out = new ArrayList<>();
      for (Pair<String, Parameter> p : block.getParameters()) {
        out.add(new Pair<>(p.getKey(), p.getValue().getArray().getShape().getShape()));
      }
      return out;
    }
  }

  /** Total number of trainable values of the spec. */
  public static long parameterCount(ModelSpec spec) {
    long n = 0;
    for (Pair<String, long[]> p : parameterShapes(spec)) {
      n += count(p.getValue());
    }
    return n;
  }

  /** A copy of an initialised block's parameters. */
  public static Weights weightsOf(Block block) {
    List<NamedTensor> tensors = new ArrayList<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      NDArray array = p.getValue().getArray();
      tensors.add(new NamedTensor(p.getKey(), array.getShape().getShape(), array.toFloatArray()));
    }
    return new Weights(tensors);
  }

  /**
   * Copies weights into an initialised block, in place.
   *
   * @throws IllegalArgumentException if names, order or shapes differ from the block's parameters
   */
  public static void load(Block block, Weights weights) {
    load(block, weights, new NativeStaging());
  }

  /**
   * Copies weights into an initialised block, in place, through the given staging buffer (which a
   * caller that loads often keeps, so that loading leaves no native garbage).
   *
   * @throws IllegalArgumentException if names, order or shapes differ from the block's parameters
   */
  public static void load(Block block, Weights weights, NativeStaging staging) {
    List<Pair<String, Parameter>> params = new ArrayList<>();
    block.getParameters().forEach(params::add);
    List<NamedTensor> tensors = weights.tensors();
    if (params.size() != tensors.size()) {
      throw new IllegalArgumentException(
          "the model has "
              + params.size()
              + " parameter tensors but the weights have "
              + tensors.size()
              + "; were they made for a different model spec?");
    }
    for (int i = 0; i < params.size(); i++) {
      Pair<String, Parameter> p = params.get(i);
      NamedTensor t = tensors.get(i);
      long[] shape = p.getValue().getArray().getShape().getShape();
      if (!p.getKey().equals(t.name()) || !Arrays.equals(shape, t.shape())) {
        throw new IllegalArgumentException(
            "parameter "
                + i
                + " of the model is "
                + p.getKey()
                + Arrays.toString(shape)
                + " but the weights have "
                + t.name()
                + Arrays.toString(t.shape())
                + "; were they made for a different model spec?");
      }
    }
    for (int i = 0; i < params.size(); i++) {
      staging.copyInto(params.get(i).getValue().getArray(), tensors.get(i).values());
    }
  }

  private static long count(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }
}
