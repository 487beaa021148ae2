package org.fedledger.learning.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Locale;

/** Named presets for Fashion-MNIST and the JSON form of {@link ModelSpec}. */
public final class ModelSpecs {
  /** One Fashion-MNIST image: 1 channel, 28 by 28 pixels. */
  private static final long[] FASHION_MNIST_SHAPE = {1, 28, 28};

  /** The names {@link #preset(String)} accepts. */
  public static final List<String> PRESETS = List.of("logreg", "mlp", "cnn");

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ModelSpecs() {}

  /**
   * A preset for Fashion-MNIST (input [1,28,28], 10 classes): {@code logreg}; {@code mlp}, the 2NN
   * of McMahan et al. (two hidden layers of 200); {@code cnn}, their CNN (dense layer 512).
   */
  public static ModelSpec preset(String name) {
    String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    switch (key) {
      case "logreg":
        return new ModelSpec(ModelType.LOGREG, FASHION_MNIST_SHAPE, 10, List.of());
      case "mlp":
        return new ModelSpec(ModelType.MLP, FASHION_MNIST_SHAPE, 10, List.of(200, 200));
      case "cnn":
        return new ModelSpec(ModelType.CNN, FASHION_MNIST_SHAPE, 10, List.of(512));
      default:
        throw new IllegalArgumentException(
            "unknown model preset '" + name + "'; use one of " + PRESETS + " or a JSON spec");
    }
  }

  /** A preset name, or a JSON spec if the text starts with '{'. */
  public static ModelSpec parse(String presetOrJson) {
    if (presetOrJson != null && presetOrJson.trim().startsWith("{")) {
      return fromJson(presetOrJson);
    }
    return preset(presetOrJson);
  }

  /** Reads a spec from JSON; any problem is an IllegalArgumentException saying what was wrong. */
  public static ModelSpec fromJson(String json) {
    try {
      ModelSpec spec = JSON.readValue(json, ModelSpec.class);
      if (spec == null) {
        throw new IllegalArgumentException("empty model spec JSON");
      }
      return spec;
    } catch (JsonProcessingException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IllegalArgumentException iae) {
        throw new IllegalArgumentException("invalid model spec: " + iae.getMessage(), e);
      }
      throw new IllegalArgumentException("invalid model spec JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The spec as compact JSON with fields in a fixed order (type, inputShape, classes, hidden). */
  public static String toJson(ModelSpec spec) {
    try {
      return JSON.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a model spec always serialises", e);
    }
  }
}
