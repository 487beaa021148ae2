package org.fedledger.learning.aggregate;

import java.util.TreeMap;
import org.fedledger.learning.tensor.Weights;

/**
 * FedAvgM (Hsu et al. 2019): server momentum on the combined delta. With delta D, {@code m = beta *
 * m_prev + D} (m_prev = 0 in the first round) and {@code x' = x + lr * m}. The buffer "momentum" is
 * stored rounded to float, and x' is computed from that stored value, so a round re-run from the
 * recorded state gives the same bits. lr = 1, beta = 0 is FedAvg.
 */
public final class ServerMomentum implements ServerOptimizer {
  public static final String BUFFER = "momentum";
  private final double lr;
  private final double beta;

  public ServerMomentum(double lr, double beta) {
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("server learning rate must be positive, got " + lr);
    }
    if (!(beta >= 0 && beta < 1)) {
      throw new IllegalArgumentException("server momentum must be in [0, 1), got " + beta);
    }
    this.lr = lr;
    this.beta = beta;
  }

  @Override
  public String name() {
    return "fedavgm";
  }

  @Override
  public Step apply(Weights global, Weights delta, ServerState state) {
    float[][] m = ServerOptimizer.buffer(state, BUFFER, global);
    float[][] x = new float[m.length][];
    for (int t = 0; t < m.length; t++) {
      float[] g = global.tensors().get(t).values();
      float[] d = delta.tensors().get(t).values();
      float[] mt = m[t];
      float[] xt = new float[g.length];
      for (int k = 0; k < g.length; k++) {
        mt[k] = (float) (beta * mt[k] + d[k]);
        xt[k] = (float) (g[k] + lr * mt[k]);
      }
      x[t] = xt;
    }
    TreeMap<String, Weights> buffers = new TreeMap<>();
    buffers.put(BUFFER, ServerOptimizer.shaped(global, m));
    return new Step(ServerOptimizer.shaped(global, x), new ServerState(state.step() + 1, buffers));
  }
}
