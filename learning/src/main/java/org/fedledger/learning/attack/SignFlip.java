package org.fedledger.learning.attack;

import org.fedledger.learning.tensor.Weights;

/** Model poisoning: sends {@code -scale * delta}, pushing the model against honest progress. */
public final class SignFlip implements Attack {
  private final double scale;

  public SignFlip(double scale) {
    this.scale = Updates.positive("sign-flip scale", scale);
  }

  @Override
  public String name() {
    return scale == 1.0 ? "sign-flip" : "sign-flip:" + scale;
  }

  @Override
  public Weights poisonUpdate(Weights delta, long seed) {
    return Updates.map(delta, x -> -scale * x);
  }
}
