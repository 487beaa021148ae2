package org.fedledger.learning.attack;

import org.fedledger.learning.tensor.Weights;

/** Model poisoning: sends {@code factor * delta}, to dominate a mean (model replacement). */
public final class ScaledUpdate implements Attack {
  private final double factor;

  public ScaledUpdate(double factor) {
    this.factor = Updates.positive("scale factor", factor);
  }

  @Override
  public String name() {
    return "scale:" + factor;
  }

  @Override
  public Weights poisonUpdate(Weights delta, long seed) {
    return Updates.map(delta, x -> factor * x);
  }
}
