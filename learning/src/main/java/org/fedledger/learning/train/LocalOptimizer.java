package org.fedledger.learning.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * SGD and Adam on a model's parameter arrays, in place, for one round. Written on NDArray
 * operations rather than DJL's optimisers so that every temporary lives in the caller's batch
 * manager and the Adam moments in the round's manager, and nothing outlives the round.
 *
 * <p>PyTorch's own scheme for an NDArray operation's result is to attach it to the manager of its
 * first operand; each temporary made from a parameter or a moment is therefore moved to the batch
 * manager at once.
 */
abstract class LocalOptimizer {
  final List<NDArray> params;
  final float learningRate;

  private LocalOptimizer(List<NDArray> params, float learningRate) {
    this.params = params;
    this.learningRate = learningRate;
  }

  static LocalOptimizer create(TrainConfig config, List<NDArray> params, NDManager round) {
    switch (config.optimizer()) {
      case SGD:
        return new Sgd(params, config.learningRate());
      case ADAM:
        return new Adam(params, config.learningRate(), round);
      default:
        throw new IllegalArgumentException("unsupported optimizer " + config.optimizer());
    }
  }

  /** Applies one update from the gradients in the parameters, then zeroes the gradients. */
  final void step(NDManager batch) {
    for (int i = 0; i < params.size(); i++) {
      NDArray w = params.get(i);
      NDArray g = in(batch, w.getGradient());
      update(i, w, g, batch);
      // The gradient handle shares the parameter's gradient storage: zero it for the next step.
      g.subi(g);
    }
    afterStep();
  }

  /**
   * Applies one update with the given gradients, one per parameter in order, instead of the
   * parameters' own (DP-SGD computes its clipped, noised gradients itself).
   */
  final void step(NDManager batch, List<NDArray> gradients) {
    for (int i = 0; i < params.size(); i++) {
      update(i, params.get(i), gradients.get(i), batch);
    }
    afterStep();
  }

  abstract void update(int index, NDArray weight, NDArray gradient, NDManager batch);

  void afterStep() {}

  static NDArray in(NDManager manager, NDArray array) {
    array.attach(manager);
    return array;
  }

  /** w ← w − lr·g. */
  private static final class Sgd extends LocalOptimizer {
    Sgd(List<NDArray> params, float learningRate) {
      super(params, learningRate);
    }

    @Override
    void update(int index, NDArray weight, NDArray gradient, NDManager batch) {
      weight.subi(gradient.mul(learningRate));
    }
  }

  /**
   * Adam (Kingma and Ba 2015) with PyTorch's defaults: β1 0.9, β2 0.999, ε 1e-8, bias-corrected
   * moments, no weight decay. The moments start at zero every round.
   */
  private static final class Adam extends LocalOptimizer {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;
    private final List<NDArray> means = new ArrayList<>();
    private final List<NDArray> variances = new ArrayList<>();
    private int t = 1;

    Adam(List<NDArray> params, float learningRate, NDManager round) {
      super(params, learningRate);
      for (NDArray p : params) {
        means.add(round.zeros(p.getShape()));
        variances.add(round.zeros(p.getShape()));
      }
    }

    @Override
    void update(int index, NDArray weight, NDArray gradient, NDManager batch) {
      NDArray m = means.get(index);
      NDArray v = variances.get(index);
      m.muli(BETA1).addi(gradient.mul(1 - BETA1));
      v.muli(BETA2).addi(gradient.square().muli(1 - BETA2));
      double correction1 = 1 - Math.pow(BETA1, t);
      double correction2 = 1 - Math.pow(BETA2, t);
      float stepSize = (float) (learningRate / correction1);
      NDArray denominator = in(batch, v.div((float) correction2)).sqrt().addi(EPSILON);
      NDArray step = in(batch, m.mul(stepSize)).divi(denominator);
      weight.subi(step);
    }

    @Override
    void afterStep() {
      t++;
    }
  }
}
