package org.fedledger.learning.aggregate;

import java.util.ArrayList;
import java.util.List;

/**
 * Wraps a combiner so that each delta whose L2 norm exceeds {@code maxNorm} is first scaled down to
 * that norm (factor {@code maxNorm / norm}, computed in double, applied per coordinate and rounded
 * once). Bounds how far any single client can move the model, and is the norm bound that
 * differential privacy and secure aggregation rely on.
 */
public final class NormClipping implements Combiner {
  private final Combiner inner;
  private final double maxNorm;

  public NormClipping(Combiner inner, double maxNorm) {
    if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
      throw new IllegalArgumentException(
          "clipping norm must be positive and finite, got " + maxNorm);
    }
    this.inner = inner;
    this.maxNorm = maxNorm;
  }

  @Override
  public String name() {
    return inner.name() + "+clip:" + maxNorm;
  }

  @Override
  public Combined combine(List<ClientUpdate> updates, Parallel parallel) {
    List<ClientUpdate> clipped = new ArrayList<>(updates.size());
    for (ClientUpdate u : updates) {
      double norm = VectorMath.norm(u.delta(), parallel);
      clipped.add(
          norm > maxNorm
              ? new ClientUpdate(
                  u.clientId(), u.sampleCount(), VectorMath.scale(u.delta(), maxNorm / norm))
              : u);
    }
    return inner.combine(clipped, parallel);
  }
}
