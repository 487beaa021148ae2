package org.fedledger.core.privacy;

import java.math.BigDecimal;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A small memo of {@link SampledGaussianRdp#perStep} by (σ, q), emptied whenever it fills up (the
 * simplest bound; a chain uses a handful of parameter pairs at a time). It is never iterated. The
 * arrays it hands out are shared and must not be modified.
 */
final class StepRdpMemo {
  private record Key(long noiseMultiplierMicros, long sampleRatePpm) {}

  private final int[] orders;
  private final int capacity;
  private final ConcurrentMap<Key, BigDecimal[]> entries = new ConcurrentHashMap<>();

  StepRdpMemo(int[] orders, int capacity) {
    this.orders = orders.clone();
    this.capacity = capacity;
  }

  BigDecimal[] get(long noiseMultiplierMicros, long sampleRatePpm) {
    Key key = new Key(noiseMultiplierMicros, sampleRatePpm);
    BigDecimal[] cached = entries.get(key);
    if (cached != null) {
      return cached;
    }
    BigDecimal[] computed =
        SampledGaussianRdp.perStep(noiseMultiplierMicros, sampleRatePpm, orders);
    if (entries.size() >= capacity) {
      entries.clear();
    }
    // Two threads may compute one key at once; they compute equal arrays, and one is kept.
    BigDecimal[] kept = entries.putIfAbsent(key, computed);
    return kept == null ? computed : kept;
  }
}
