package org.fedledger.learning.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.Models;
import org.fedledger.learning.tensor.Weights;

/**
 * A preset's block set on a model, loaded with given weights, whose parameters record gradients
 * (and the engine's own gradient bookkeeping off on this thread), as the DP-SGD trainer prepares
 * it: what the tests of the per-example clipping paths compare against autograd.
 */
record GradientBlock(Block block, List<NDArray> params) {
  static GradientBlock of(Model model, ModelSpec spec, Weights weights) {
    Block block = Models.build(spec);
    model.setBlock(block);
    block.initialize(model.getNDManager(), DataType.FLOAT32, Models.batchShape(spec, 1));
    List<NDArray> params = new ArrayList<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      p.getValue().getArray().setRequiresGradient(true);
      params.add(p.getValue().getArray());
    }
    ThreadGradients.offOnThisThread();
    Models.load(block, weights);
    return new GradientBlock(block, params);
  }
}
