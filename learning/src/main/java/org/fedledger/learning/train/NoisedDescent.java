package org.fedledger.learning.train;

import ai.djl.ndarray.NDArray;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.learning.privacy.SecureNoise;
import org.fedledger.learning.privacy.StepDraws;

/**
 * DP-SGD's step for plain SGD, with the noise and the learning rate in one pass: w ← w − lr/(q·n) ·
 * (round_γ(sum) + noise) for each parameter ({@link SecureNoise#descendAlongNoisedSum}), in place.
 *
 * <p>Why: adding the noise and then stepping through the optimiser cost, per parameter and step, a
 * new array over the noised sum, a product and a subtraction in the engine. Here the weights are
 * written through a direct view of their native memory, taken once per round: DJL's parameters are
 * contiguous tensors and {@code Models.load} copies into them in place, so the view stays theirs.
 * Adam and FedProx keep the optimiser's path ({@link LocalOptimizer}).
 */
final class NoisedDescent {
  private final List<FloatBuffer> weights = new ArrayList<>();
  private final double step;
  private final double granularity;

  private NoisedDescent(List<NDArray> params, double step, double granularity) {
    for (NDArray p : params) {
      weights.add(p.toByteBuffer(true).asFloatBuffer());
    }
    this.step = step;
    this.granularity = granularity;
  }

  /** True when the round's optimiser is plain SGD with no proximal term. */
  static boolean fits(TrainConfig config) {
    return config.optimizer() == OptimizerKind.SGD && config.proxMu() == 0;
  }

  /**
   * The descent for a round over the parameters (which require no gradient for the round), at the
   * config's learning rate over the expected batch q·n, with noise on the grid γ.
   */
  static NoisedDescent of(
      List<NDArray> params, TrainConfig config, double expectedBatch, double granularity) {
    if (!fits(config)) {
      throw new IllegalArgumentException("fused DP descent is plain SGD only, not " + config);
    }
    return new NoisedDescent(params, config.learningRate() / expectedBatch, granularity);
  }

  /** One step along the clipped sums (one per parameter, in order) and the step's drawn noise. */
  void step(List<NDArray> sums, StepDraws draws) {
    int offset = 0;
    for (int i = 0; i < weights.size(); i++) {
      FloatBuffer sum = sums.get(i).toByteBuffer(true).asFloatBuffer();
      SecureNoise.descendAlongNoisedSum(
          weights.get(i), sum, draws.granules(), offset, granularity, step);
      offset += sum.limit();
    }
  }
}
