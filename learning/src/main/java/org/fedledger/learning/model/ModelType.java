package org.fedledger.learning.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The architectures a {@link ModelSpec} can name. */
public enum ModelType {
  /** Multinomial logistic regression: one dense layer on the flattened input. */
  LOGREG,
  /** Multilayer perceptron: dense layers with ReLU, sizes from {@link ModelSpec#hidden()}. */
  MLP,
  /** The convolutional network of McMahan et al. 2017 ("CNN" in the FedAvg paper). */
  CNN;

  /** Parses "logreg", "mlp" or "cnn" (any case). */
  @JsonCreator
  public static ModelType parse(String name) {
    if (name != null) {
      for (ModelType t : values()) {
        if (t.name().equalsIgnoreCase(name.trim())) {
          return t;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown model type '" + name + "'; use one of logreg, mlp, cnn");
  }

  /** The lower-case name used in JSON specs. */
  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
