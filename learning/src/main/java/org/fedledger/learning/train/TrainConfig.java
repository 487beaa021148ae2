package org.fedledger.learning.train;

/**
 * How a participant trains locally in one round.
 *
 * @param epochs passes over the local data (at least 1)
 * @param batchSize samples per step (at least 1); the last batch of an epoch may be smaller
 * @param optimizer SGD or Adam
 * @param learningRate step size (positive)
 * @param proxMu FedProx μ (zero or more): the loss minimised is the data loss plus μ/2·‖w −
 *     w_global‖², summed over all parameters; 0 is plain FedAvg local training
 */
public record TrainConfig(
    int epochs, int batchSize, OptimizerKind optimizer, float learningRate, float proxMu) {
  public TrainConfig {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    if (optimizer == null) {
      throw new IllegalArgumentException("an optimizer is required: sgd or adam");
    }
    if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
    }
    if (!(proxMu >= 0) || Float.isInfinite(proxMu)) {
      throw new IllegalArgumentException("FedProx mu must be zero or positive, got " + proxMu);
    }
  }

  /** 1 epoch, batch 32, SGD, learning rate 0.05, μ = 0. */
  public static TrainConfig defaults() {
    return new TrainConfig(1, 32, OptimizerKind.SGD, 0.05f, 0f);
  }

  public TrainConfig withEpochs(int e) {
    return new TrainConfig(e, batchSize, optimizer, learningRate, proxMu);
  }

  public TrainConfig withBatchSize(int b) {
    return new TrainConfig(epochs, b, optimizer, learningRate, proxMu);
  }

  public TrainConfig withOptimizer(OptimizerKind o) {
    return new TrainConfig(epochs, batchSize, o, learningRate, proxMu);
  }

  public TrainConfig withLearningRate(float lr) {
    return new TrainConfig(epochs, batchSize, optimizer, lr, proxMu);
  }

  public TrainConfig withProxMu(float mu) {
    return new TrainConfig(epochs, batchSize, optimizer, learningRate, mu);
  }
}
