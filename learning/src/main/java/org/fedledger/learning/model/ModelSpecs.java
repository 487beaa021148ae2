package org.fedledger.learning.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.schema.Task;

/**
 * Named presets and the JSON form of {@link ModelSpec}. A preset is an architecture without a
 * shape: {@link #preset(String, DatasetSchema)} takes the input shape, the task and the number of
 * classes or outputs from a dataset schema, so {@code logreg} fits any table; {@link
 * #preset(String)} fits Fashion-MNIST.
 */
public final class ModelSpecs {
  /** One Fashion-MNIST image: 1 channel, 28 by 28 pixels. */
  private static final long[] FASHION_MNIST_SHAPE = {1, 28, 28};

  /** The names {@link #preset(String)} accepts; mlp and cnn also take sizes, as mlp:64,32. */
  public static final List<String> PRESETS = List.of("logreg", "mlp", "cnn");

  // The hidden sizes of an MLP preset: the 2NN of McMahan et al. for images; for tables, whose
  // inputs are tens of features rather than hundreds of pixels, a smaller pair.
  private static final List<Integer> IMAGE_MLP = List.of(200, 200);
  private static final List<Integer> TABLE_MLP = List.of(64, 64);
  private static final List<Integer> CNN_DENSE = List.of(512);

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ModelSpecs() {}

  /**
   * A preset for Fashion-MNIST (input [1,28,28], 10 classes): {@code logreg}; {@code mlp}, the 2NN
   * of McMahan et al. (two hidden layers of 200); {@code cnn}, their CNN (dense layer 512).
   */
  public static ModelSpec preset(String name) {
    return preset(name, FASHION_MNIST_SHAPE, Task.CLASSIFICATION, 10);
  }

  /**
   * A preset fitted to a dataset schema: its input shape, its task and its number of classes or
   * regression outputs. {@code logreg} (also called {@code linear}) is one dense layer, a linear
   * regression when the task is regression; {@code mlp} has hidden layers of 64 and 64 for tables
   * and 200 and 200 for images; {@code cnn} (images only) has a dense layer of 512. {@code
   * mlp:32,16} or {@code cnn:128} give other sizes.
   */
  public static ModelSpec preset(String name, DatasetSchema schema) {
    long[] shape = schema.inputShape().stream().mapToLong(Integer::longValue).toArray();
    return preset(name, shape, schema.task(), schema.outputCount());
  }

  /** A preset for the given input shape, task and output width (see the other presets). */
  public static ModelSpec preset(String name, long[] inputShape, Task task, int outputs) {
    String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    String base = key;
    List<Integer> sizes = null;
    int colon = key.indexOf(':');
    if (colon >= 0) {
      base = key.substring(0, colon);
      sizes = sizes(key.substring(colon + 1), name);
    }
    switch (base) {
      case "logreg":
      case "linear":
        if (sizes != null) {
          throw new IllegalArgumentException(
              "'" + base + "' has no hidden layers; drop ':" + key.substring(colon + 1) + "'");
        }
        return new ModelSpec(ModelType.LOGREG, inputShape, task, outputs, List.of());
      case "mlp":
        List<Integer> defaults = inputShape.length == 1 ? TABLE_MLP : IMAGE_MLP;
        return new ModelSpec(
            ModelType.MLP, inputShape, task, outputs, sizes == null ? defaults : sizes);
      case "cnn":
        return new ModelSpec(
            ModelType.CNN, inputShape, task, outputs, sizes == null ? CNN_DENSE : sizes);
      default:
        throw new IllegalArgumentException(
            "unknown model preset '"
                + name
                + "'; use one of "
                + PRESETS
                + " (mlp:64,32 for other sizes) or a JSON spec");
    }
  }

  private static List<Integer> sizes(String list, String name) {
    List<Integer> out = new ArrayList<>();
    for (String part : list.split(",", -1)) {
      try {
        out.add(Integer.parseInt(part.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "hidden sizes in '" + name + "' must be positive integers, as in mlp:64,32", e);
      }
    }
    return out;
  }

  /** A preset name, or a JSON spec if the text starts with '{'. */
  public static ModelSpec parse(String presetOrJson) {
    if (presetOrJson != null && presetOrJson.trim().startsWith("{")) {
      return fromJson(presetOrJson);
    }
    return preset(presetOrJson);
  }

  /**
   * A preset name fitted to the schema, or a JSON spec (text starting with '{') that must fit it.
   *
   * @throws IllegalArgumentException if the JSON spec's input shape, task or output width is not
   *     the schema's
   */
  public static ModelSpec parse(String presetOrJson, DatasetSchema schema) {
    if (presetOrJson != null && presetOrJson.trim().startsWith("{")) {
      ModelSpec spec = fromJson(presetOrJson);
      checkFits(spec, schema);
      return spec;
    }
    return preset(presetOrJson, schema);
  }

  /**
   * Checks that a spec takes the schema's samples and predicts its answers.
   *
   * @throws IllegalArgumentException naming what differs
   */
  public static void checkFits(ModelSpec spec, DatasetSchema schema) {
    long[] shape = schema.inputShape().stream().mapToLong(Integer::longValue).toArray();
    if (!Arrays.equals(spec.inputShape(), shape)) {
      throw new IllegalArgumentException(
          "the model takes inputShape "
              + Arrays.toString(spec.inputShape())
              + " but the dataset schema's samples are "
              + Arrays.toString(shape)
              + "; fix the spec's inputShape or use a preset, which takes it from the schema");
    }
    if (spec.task() != schema.task() || spec.outputs() != schema.outputCount()) {
      throw new IllegalArgumentException(
          "the model is a "
              + describe(spec.task(), spec.outputs())
              + " but the dataset schema asks for a "
              + describe(schema.task(), schema.outputCount())
              + "; fix the spec or use a preset, which takes them from the schema");
    }
  }

  private static String describe(Task task, int outputs) {
    return task == Task.CLASSIFICATION
        ? "classifier of " + outputs + " classes"
        : "regression of " + outputs + " output" + (outputs == 1 ? "" : "s");
  }

  /** Reads a spec from JSON; any problem is an IllegalArgumentException saying what was wrong. */
  public static ModelSpec fromJson(String json) {
    SpecJson form;
    try {
      form = JSON.readValue(json, SpecJson.class);
    } catch (JsonProcessingException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IllegalArgumentException iae) {
        throw new IllegalArgumentException("invalid model spec: " + iae.getMessage(), e);
      }
      throw new IllegalArgumentException("invalid model spec JSON: " + e.getOriginalMessage(), e);
    }
    if (form == null) {
      throw new IllegalArgumentException("empty model spec JSON");
    }
    try {
      return form.toSpec();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid model spec: " + e.getMessage(), e);
    }
  }

  /**
   * The spec as compact JSON with fields in a fixed order (type, inputShape, task, classes,
   * outputs, hidden); a classifier's JSON has no task and no outputs, a regression's no classes.
   */
  public static String toJson(ModelSpec spec) {
    try {
      return JSON.writeValueAsString(SpecJson.of(spec));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a model spec always serialises", e);
    }
  }

  /**
   * The JSON form. Kept apart from {@link ModelSpec} so that a classifier's JSON stays what it was
   * before regression existed (no task, a "classes" count), and its hash on the chain with it.
   */
  @JsonPropertyOrder({"type", "inputShape", "task", "classes", "outputs", "hidden"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record SpecJson(
      ModelType type,
      long[] inputShape,
      Task task,
      Integer classes,
      Integer outputs,
      List<Integer> hidden) {

    static SpecJson of(ModelSpec spec) {
      return spec.isRegression()
          ? new SpecJson(
              spec.type(), spec.inputShape(), Task.REGRESSION, null, spec.outputs(), spec.hidden())
          : new SpecJson(spec.type(), spec.inputShape(), null, spec.outputs(), null, spec.hidden());
    }

    ModelSpec toSpec() {
      if (task == null || task == Task.CLASSIFICATION) {
        if (outputs != null) {
          throw new IllegalArgumentException(
              "a classifier counts its outputs in \"classes\"; remove \"outputs\"");
        }
        return new ModelSpec(
            type, inputShape, Task.CLASSIFICATION, classes == null ? 0 : classes, hidden);
      }
      if (classes != null) {
        throw new IllegalArgumentException(
            "a regression has no classes; give its width in \"outputs\" instead of \"classes\"");
      }
      return new ModelSpec(
          type, inputShape, Task.REGRESSION, outputs == null ? 0 : outputs, hidden);
    }
  }
}
