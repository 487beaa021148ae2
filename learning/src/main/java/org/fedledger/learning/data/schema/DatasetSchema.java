package org.fedledger.learning.data.schema;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;

/**
 * The contract between a job's members about their data: its format, the features, the label and
 * task, and the input shape the model sees. Every owner reads its own files under the same schema,
 * so that all of them produce samples of the same shape and meaning; the chain records {@link
 * #hash()} so that a dataset of another schema can be refused.
 *
 * <p>JSON (see {@link DatasetSchemaJson}), for a table:
 *
 * <pre>{@code
 * {"format":"csv",
 *  "features":[{"name":"age","type":"numeric","missing":{"rule":"mean"}},
 *              {"name":"sex","type":"categorical","categories":["f","m"]}],
 *  "label":{"task":"classification","columns":["outcome"],"classes":["no","yes"]},
 *  "inputShape":[3]}
 * }</pre>
 *
 * and for images {@code {"format":"images","label":{"task":"classification","classes":["cat",
 * "dog"]},"inputShape":[3,32,32],"images":{"resize":true}}}.
 *
 * @param format csv, images or idx
 * @param features a table's input columns in model-input order; empty for images and IDX
 * @param label the task and its answers
 * @param inputShape one sample's shape as the model sees it: {@code [features]} for a table (after
 *     one-hot, so the sum of the features' widths), {@code [channels, height, width]} for images
 *     and IDX
 * @param images how images are fitted to the shape (images only; resizing refused when absent)
 * @param missingMarkers a table's field values that mean "missing" besides the empty field, e.g.
 *     {@code ["NA","?"]}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DatasetSchema(
    DataFormat format,
    List<FeatureSpec> features,
    LabelSpec label,
    List<Integer> inputShape,
    ImageOptions images,
    List<String> missingMarkers) {
  public DatasetSchema {
    if (format == null) {
      throw new IllegalArgumentException("a dataset schema needs a \"format\": csv, images or idx");
    }
    if (label == null) {
      throw new IllegalArgumentException(
          "a dataset schema needs a \"label\", e.g. {\"task\":\"classification\",\"columns\":"
              + "[\"outcome\"],\"classes\":[\"no\",\"yes\"]}");
    }
    features = features == null ? List.of() : List.copyOf(features);
    missingMarkers = missingMarkers == null ? List.of() : List.copyOf(missingMarkers);
    if (inputShape == null || inputShape.isEmpty()) {
      throw new IllegalArgumentException(
          "a dataset schema needs an \"inputShape\": [features] or [channels,height,width]");
    }
    inputShape = List.copyOf(inputShape);
    for (int d : inputShape) {
      if (d <= 0) {
        throw new IllegalArgumentException("inputShape dimensions must be positive: " + inputShape);
      }
    }
    if (format == DataFormat.CSV) {
      checkTable(features, label, inputShape, images);
    } else {
      checkImages(format, features, label, inputShape, missingMarkers);
      if (format == DataFormat.IMAGES && images == null) {
        images = new ImageOptions(false);
      }
      if (format == DataFormat.IDX && images != null) {
        throw new IllegalArgumentException("\"images\" options are for format images, not idx");
      }
    }
  }

  private static void checkTable(
      List<FeatureSpec> features, LabelSpec label, List<Integer> shape, ImageOptions images) {
    if (features.isEmpty()) {
      throw new IllegalArgumentException("a csv schema needs at least one feature");
    }
    if (label.columns().isEmpty()) {
      throw new IllegalArgumentException(
          "a csv schema's label needs its column(s) in \"columns\", e.g. [\"outcome\"]");
    }
    if (images != null) {
      throw new IllegalArgumentException("\"images\" options are for format images, not csv");
    }
    Set<String> names = new HashSet<>(label.columns());
    int width = 0;
    for (FeatureSpec f : features) {
      if (!names.add(f.name())) {
        throw new IllegalArgumentException(
            "column '" + f.name() + "' appears twice among the features and label columns");
      }
      width += f.width();
    }
    if (shape.size() != 1 || shape.get(0) != width) {
      throw new IllegalArgumentException(
          "a csv schema's inputShape must be ["
              + width
              + "] (numeric features plus one-hot widths), got "
              + shape);
    }
  }

  private static void checkImages(
      DataFormat format,
      List<FeatureSpec> features,
      LabelSpec label,
      List<Integer> shape,
      List<String> markers) {
    if (!features.isEmpty() || !markers.isEmpty()) {
      throw new IllegalArgumentException(
          "\"features\" and \"missingMarkers\" are for csv; a "
              + format.jsonName()
              + " schema's features are its pixels");
    }
    if (label.task() != Task.CLASSIFICATION) {
      throw new IllegalArgumentException(
          "a "
              + format.jsonName()
              + " dataset is labelled by class; its task must be classification");
    }
    if (!label.columns().isEmpty()) {
      throw new IllegalArgumentException(
          "a " + format.jsonName() + " dataset has no label columns; remove \"columns\"");
    }
    if (shape.size() != 3) {
      throw new IllegalArgumentException(
          "an image inputShape is [channels,height,width], got " + shape);
    }
    int channels = shape.get(0);
    if ((channels != 1 && channels != 3) || (format == DataFormat.IDX && channels != 1)) {
      throw new IllegalArgumentException(
          "images have 1 (grayscale) or 3 (RGB) channels, IDX has 1; got " + channels);
    }
  }

  /** The task: classification or regression. */
  @JsonIgnore
  public Task task() {
    return label.task();
  }

  /** The model's output width: classes, or regression outputs. */
  @JsonIgnore
  public int outputCount() {
    return label.outputCount();
  }

  /** The input shape as an int array, for {@code LabeledData}. */
  @JsonIgnore
  public int[] sampleShape() {
    return inputShape.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Feature names in order (a table's columns). */
  @JsonIgnore
  public List<String> featureNames() {
    List<String> names = new ArrayList<>();
    for (FeatureSpec f : features) {
      names.add(f.name());
    }
    return names;
  }

  /**
   * The schema's identity on the chain: SHA-256 of its canonical JSON, UTF-8, with object keys
   * sorted by their UTF-16 code units at every level, no whitespace, absent and empty fields left
   * out (so an omitted default and a spelled-out empty list hash alike) and every value written as
   * Jackson writes it (the schema holds only strings, integers and booleans, each with one
   * spelling). See {@link DatasetSchemaJson#canonical}.
   */
  public Hash hash() {
    return Sha256.hash(DatasetSchemaJson.canonical(this));
  }
}
