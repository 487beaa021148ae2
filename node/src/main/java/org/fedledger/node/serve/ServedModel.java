package org.fedledger.node.serve;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.Models;
import org.fedledger.learning.model.NativeStaging;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.learning.train.Engines;

/**
 * One model's weights loaded into DJL for inference. Not thread-safe: the {@link PredictionBatcher}
 * calls {@link #forward} from its one inference thread. Close to free the native memory.
 */
public final class ServedModel implements AutoCloseable {
  private final ModelSpec spec;
  private final Model model;
  private final Block block;
  private final NativeStaging staging = new NativeStaging();

  /**
   * @throws IllegalArgumentException if the weights do not fit the spec
   */
  public ServedModel(ModelSpec spec, Weights weights) {
    Engines.pytorch();
    this.spec = spec;
    this.model =
        Model.newInstance("fedledger-serve-" + spec.type().id(), Device.cpu(), Engines.PYTORCH);
    try {
      this.block = Models.build(spec);
      model.setBlock(block);
      block.initialize(model.getNDManager(), DataType.FLOAT32, Models.batchShape(spec, 1));
      // PyTorch's grad mode is per thread and on by default; weights load in place, which it
      // allows only with grad mode off (learning's ThreadGradients does the same for training).
      JniUtils.setGradMode(false);
      Models.load(block, weights, staging);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  public ModelSpec spec() {
    return spec;
  }

  /** Values in one input row: the product of the spec's input shape. */
  public int inputSize() {
    return Math.toIntExact(spec.inputSize());
  }

  /** Values in one output row: classes, or regression outputs. */
  public int outputSize() {
    return spec.outputs();
  }

  /**
   * The raw outputs (logits, or regression values) of rows inputs laid end to end.
   *
   * @param inputs rows × {@link #inputSize()} values
   */
  public float[] forward(float[] inputs, int rows) {
    if (rows < 1 || inputs.length < (long) rows * inputSize()) {
      throw new IllegalArgumentException(
          rows + " rows need " + (long) rows * inputSize() + " values, got " + inputs.length);
    }
    // Per thread, as PyTorch keeps both: no autograd, and one intra-op thread rather than an
    // OpenMP team whose idle member spins beside the other calls.
    JniUtils.setGradMode(false);
    Engines.configureThisThread();
    try (NDManager batch = model.getNDManager().newSubManager()) {
      ParameterStore store = new ParameterStore(batch, false);
      NDList x = new NDList(staging.floats(batch, inputs, 0, Models.batchShape(spec, rows)));
      return block.forward(store, x, false).singletonOrThrow().toFloatArray();
    }
  }

  @Override
  public void close() {
    model.close();
  }
}
