package org.fedledger.learning.aggregate;

import java.util.List;
import org.fedledger.learning.tensor.Weights;

/**
 * FedAvg's combination: the mean of the deltas weighted by sample count. Each coordinate is {@code
 * (float) sum_i(w_i * d_i)} with {@code w_i = n_i / N} in double, summed in client-id order and
 * rounded to float once.
 */
public final class WeightedMean implements Combiner {
  @Override
  public String name() {
    return "mean";
  }

  /**
   * Weights are positive (sample counts are checked first) and accumulation is in double, where a
   * sum of finite floats cannot overflow: a NaN or infinity in any row always reaches the output.
   */
  @Override
  public boolean exposesNonFiniteInputs() {
    return true;
  }

  @Override
  public Combined combine(List<ClientUpdate> updates, Parallel parallel) {
    return new Combined(mean(updates, parallel), List.of());
  }

  /** The sample-weighted mean of the updates' deltas (updates in canonical order). */
  public static Weights mean(List<ClientUpdate> updates, Parallel parallel) {
    double total = 0;
    for (ClientUpdate u : updates) {
      total += u.sampleCount();
    }
    double[] w = new double[updates.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = updates.get(i).sampleCount() / total;
    }
    return CoordinateKernel.apply(
        updates,
        parallel,
        (rows, out, from, to) -> {
          // Client-major loop: acc[k] sees exactly 0 + w0*x0 + w1*x1 + ... in client order, as
          // a coordinate-major loop would, but streams each row and lets the JIT vectorise
          // across coordinates (element-wise, so no reassociation).
          double[] acc = new double[to - from];
          for (int i = 0; i < rows.length; i++) {
            float[] row = rows[i];
            double wi = w[i];
            for (int k = from; k < to; k++) {
              acc[k - from] += wi * row[k];
            }
          }
          for (int k = from; k < to; k++) {
            out[k] = (float) acc[k - from];
          }
        });
  }
}
