package org.fedledger.learning.aggregate;

import java.util.ArrayList;
import java.util.List;
import org.fedledger.learning.tensor.NamedTensor;
import org.fedledger.learning.tensor.Weights;

/**
 * A computation of each output coordinate from the same coordinate of every update. Runs block by
 * block; since a coordinate's arithmetic never involves another coordinate, the thread count only
 * changes which thread computes it, never its value.
 */
@FunctionalInterface
interface CoordinateKernel {
  /**
   * Computes out[k] for k in [from, to) from rows[i][k].
   *
   * @param rows one array per update, in canonical (client id) order
   */
  void compute(float[][] rows, float[] out, int from, int to);

  /** Applies the kernel to every tensor of the updates' deltas. */
  static Weights apply(List<ClientUpdate> updates, Parallel parallel, CoordinateKernel kernel) {
    Weights shape = updates.get(0).delta();
    int tensorCount = shape.tensors().size();
    float[][] outputs = new float[tensorCount][];
    float[][][] rows = new float[tensorCount][updates.size()][];
    for (int t = 0; t < tensorCount; t++) {
      outputs[t] = new float[shape.tensors().get(t).size()];
      for (int i = 0; i < updates.size(); i++) {
        rows[t][i] = updates.get(i).delta().tensors().get(t).values();
      }
    }
    Blocks blocks = Blocks.of(shape);
    parallel.forEach(
        blocks.count(),
        b -> {
          Blocks.Block blk = blocks.get(b);
          kernel.compute(rows[blk.tensor()], outputs[blk.tensor()], blk.from(), blk.to());
        });
    List<NamedTensor> out = new ArrayList<>(tensorCount);
    for (int t = 0; t < tensorCount; t++) {
      NamedTensor s = shape.tensors().get(t);
      out.add(new NamedTensor(s.name(), s.shape().clone(), outputs[t]));
    }
    return new Weights(out);
  }
}
