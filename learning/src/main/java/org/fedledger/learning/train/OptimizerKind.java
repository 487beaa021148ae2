package org.fedledger.learning.train;

import java.util.Locale;

/** The local optimisers a participant can use. */
public enum OptimizerKind {
  /** Plain stochastic gradient descent (no momentum, no weight decay), as in FedAvg. */
  SGD,
  /** Adam with DJL's defaults (beta1 0.9, beta2 0.999, epsilon 1e-8); state resets each round. */
  ADAM;

  /** Parses "sgd" or "adam" (any case). */
  public static OptimizerKind parse(String name) {
    if (name != null) {
      for (OptimizerKind k : values()) {
        if (k.name().equalsIgnoreCase(name.trim())) {
          return k;
        }
      }
    }
    throw new IllegalArgumentException("unknown optimizer '" + name + "'; use sgd or adam");
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
