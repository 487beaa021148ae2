package org.fedledger.learning.attack;

import java.util.Random;
import org.fedledger.learning.tensor.Weights;

/**
 * Model poisoning: replaces the delta by independent N(0, sigma^2) noise of the same shape (the
 * "Gaussian attack" of the robust-aggregation literature). Seeded with {@link java.util.Random},
 * whose Gaussian generator the JDK specifies, so a seed gives the same noise everywhere.
 */
public final class GaussianNoise implements Attack {
  private final double sigma;

  public GaussianNoise(double sigma) {
    this.sigma = Updates.positive("noise sigma", sigma);
  }

  @Override
  public String name() {
    return "noise:" + sigma;
  }

  @Override
  public Weights poisonUpdate(Weights delta, long seed) {
    Random random = new Random(seed);
    return Updates.map(delta, x -> sigma * random.nextGaussian());
  }
}
