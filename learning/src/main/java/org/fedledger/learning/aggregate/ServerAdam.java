package org.fedledger.learning.aggregate;

import java.util.TreeMap;
import org.fedledger.learning.tensor.Weights;

/**
 * FedAdam (Reddi et al. 2021, "Adaptive Federated Optimization", Algorithm 2) on the combined delta
 * D, treated as a pseudo-gradient pointing downhill:
 *
 * <pre>
 *   m  = beta1 * m_prev + (1 - beta1) * D
 *   v  = beta2 * v_prev + (1 - beta2) * D^2
 *   x' = x + lr * m / (sqrt(v) + tau)
 * </pre>
 *
 * with m_prev = v_prev = 0 in the first round and, as in the paper, no bias correction. Each
 * expression is computed in double and rounded to float once; m and v are stored in the state ("m",
 * "v") as floats and x' is computed from the stored floats, so a re-run from the recorded state
 * gives the same bits. {@link Math#sqrt} is correctly rounded by specification.
 */
public final class ServerAdam implements ServerOptimizer {
  public static final String FIRST_MOMENT = "m";
  public static final String SECOND_MOMENT = "v";

  private final double lr;
  private final double beta1;
  private final double beta2;
  private final double tau;

  public ServerAdam(double lr, double beta1, double beta2, double tau) {
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("server learning rate must be positive, got " + lr);
    }
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException(
          "Adam betas must be in [0, 1), got " + beta1 + " and " + beta2);
    }
    if (!(tau > 0) || Double.isInfinite(tau)) {
      throw new IllegalArgumentException("Adam tau must be positive, got " + tau);
    }
    this.lr = lr;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.tau = tau;
  }

  @Override
  public String name() {
    return "fedadam";
  }

  @Override
  public Step apply(Weights global, Weights delta, ServerState state) {
    float[][] m = ServerOptimizer.buffer(state, FIRST_MOMENT, global);
    float[][] v = ServerOptimizer.buffer(state, SECOND_MOMENT, global);
    float[][] x = new float[m.length][];
    for (int t = 0; t < m.length; t++) {
      float[] g = global.tensors().get(t).values();
      float[] d = delta.tensors().get(t).values();
      float[] mt = m[t];
      float[] vt = v[t];
      float[] xt = new float[g.length];
      for (int k = 0; k < g.length; k++) {
        double dk = d[k];
        mt[k] = (float) (beta1 * mt[k] + (1 - beta1) * dk);
        vt[k] = (float) (beta2 * vt[k] + (1 - beta2) * (dk * dk));
        xt[k] = (float) (g[k] + lr * mt[k] / (Math.sqrt(vt[k]) + tau));
      }
      x[t] = xt;
    }
    TreeMap<String, Weights> buffers = new TreeMap<>();
    buffers.put(FIRST_MOMENT, ServerOptimizer.shaped(global, m));
    buffers.put(SECOND_MOMENT, ServerOptimizer.shaped(global, v));
    return new Step(ServerOptimizer.shaped(global, x), new ServerState(state.step() + 1, buffers));
  }
}
