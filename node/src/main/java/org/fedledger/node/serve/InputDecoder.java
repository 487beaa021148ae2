package org.fedledger.node.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import org.fedledger.learning.data.DataFormatException;
import org.fedledger.learning.data.ImageFolderReader;
import org.fedledger.learning.data.schema.DataFormat;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.schema.FeatureSpec;
import org.fedledger.learning.data.schema.FeatureType;

/**
 * Turns a predict request's rows into the model's input values. A model trained on a table schema
 * takes objects of named features ({@code {"age": 41, "sex": "f"}}: numbers for numeric features,
 * one of the categories for categorical ones, one-hot encoded in the schema's order). A model
 * trained on images (an images or IDX schema) also takes {@code {"image": "<base64 PNG or JPEG>"}},
 * decoded as the owners' image folders were ({@link ImageFolderReader#readImage}: resized only if
 * the schema allows it). Any model takes arrays of raw values of its input size, or the same values
 * in a compact form: a string, base64 of the values as little-endian IEEE 754 float32, 4 bytes each
 * (numpy's {@code x.astype('<f4').tobytes()}), far cheaper to read than decimals. A row that does
 * not fit is refused with the reason, naming the row.
 */
public final class InputDecoder {
  /** Rows per request at most: a larger batch belongs in several requests. */
  public static final int MAX_ROWS = 1024;

  /** The field of a row that carries an image. */
  public static final String IMAGE = "image";

  private final int inputSize;
  private final DatasetSchema schema;
  private final DatasetSchema imageSchema;

  /**
   * @param schema the model's dataset schema, or null for raw arrays
   */
  public InputDecoder(int inputSize, DatasetSchema schema) {
    this.inputSize = inputSize;
    this.schema = schema != null && schema.format() == DataFormat.CSV ? schema : null;
    this.imageSchema =
        schema != null
                && schema.format() != DataFormat.CSV
                && schema.inputShape().size() == 3
                && (long) schema.inputShape().get(0)
                        * schema.inputShape().get(1)
                        * schema.inputShape().get(2)
                    == inputSize
            ? schema
            : null;
  }

  /** True if rows may be base64 images. */
  public boolean images() {
    return imageSchema != null;
  }

  /** True if rows are objects of named features. */
  public boolean named() {
    return schema != null;
  }

  /** The feature names rows must carry, or empty for raw arrays. */
  public List<String> featureNames() {
    return schema == null ? List.of() : schema.featureNames();
  }

  /**
   * The values of every row laid end to end.
   *
   * @throws IllegalArgumentException with the reason if a row does not fit
   */
  public float[] decode(JsonNode rows) {
    if (rows == null || !rows.isArray() || rows.isEmpty()) {
      throw new IllegalArgumentException(
          "the body needs \"rows\": a non-empty array of "
              + (named()
                  ? "objects of the features " + featureNames()
                  : "arrays of " + inputSize + " numbers or strings of base64 float32 values")
              + (images() ? " or {\"image\": \"<base64 PNG or JPEG>\"}" : ""));
    }
    if (rows.size() > MAX_ROWS) {
      throw new IllegalArgumentException(
          rows.size() + " rows in one request; at most " + MAX_ROWS + ", split the request");
    }
    float[] out = new float[rows.size() * inputSize];
    for (int i = 0; i < rows.size(); i++) {
      if (named()) {
        namedRow(rows.get(i), i, out, i * inputSize);
      } else if (rows.get(i).isObject() && images()) {
        imageRow(rows.get(i), i, out, i * inputSize);
      } else if (rows.get(i).isTextual()) {
        compactRow(rows.get(i).asText(), i, out, i * inputSize);
      } else {
        rawRow(rows.get(i), i, out, i * inputSize);
      }
    }
    return out;
  }

  private void imageRow(JsonNode row, int index, float[] out, int offset) {
    JsonNode image = row.get(IMAGE);
    if (row.size() != 1 || image == null || !image.isTextual()) {
      throw new IllegalArgumentException(
          "row " + index + " must be {\"image\": \"<base64 PNG or JPEG>\"} and nothing else");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(image.asText());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "row " + index + "'s image is not base64: " + e.getMessage(), e);
    }
    try {
      ImageFolderReader.readImage(bytes, "row " + index + "'s image", imageSchema, out, offset);
    } catch (DataFormatException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private void compactRow(String base64, int index, float[] out, int offset) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "row " + index + " is a string but not base64 of float32 values: " + e.getMessage(), e);
    }
    if (bytes.length != Float.BYTES * inputSize) {
      throw new IllegalArgumentException(
          "row "
              + index
              + " holds "
              + bytes.length
              + " bytes; the model takes "
              + inputSize
              + " float32 values, "
              + Float.BYTES * inputSize
              + " bytes (base64 of little-endian float32)");
    }
    FloatBuffer values = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    for (int j = 0; j < inputSize; j++) {
      float v = values.get(j);
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException(
            "row " + index + ", value " + j + " is " + v + ", not a finite number");
      }
      out[offset + j] = v;
    }
  }

  private void rawRow(JsonNode row, int index, float[] out, int offset) {
    if (!row.isArray() || row.size() != inputSize) {
      throw new IllegalArgumentException(
          "row "
              + index
              + " must be an array of "
              + inputSize
              + " numbers (the model's input size)"
              + (images()
                  ? ", a string of base64 float32 values or {\"image\": \"<base64 PNG or JPEG>\"}"
                  : " or a string of base64 float32 values"));
    }
    for (int j = 0; j < inputSize; j++) {
      JsonNode v = row.get(j);
      if (!v.isNumber() || !Float.isFinite(v.floatValue())) {
        throw new IllegalArgumentException(
            "row " + index + ", value " + j + " is " + v + ", not a finite number");
      }
      out[offset + j] = v.floatValue();
    }
  }

  private void namedRow(JsonNode row, int index, float[] out, int offset) {
    if (!row.isObject()) {
      throw new IllegalArgumentException(
          "row " + index + " must be an object of the features " + featureNames());
    }
    for (Iterator<String> names = row.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!featureNames().contains(name)) {
        throw new IllegalArgumentException(
            "row "
                + index
                + " has '"
                + name
                + "', which is not a feature of the model's schema "
                + featureNames());
      }
    }
    int at = offset;
    for (FeatureSpec f : schema.features()) {
      JsonNode v = row.get(f.name());
      if (v == null || v.isNull()) {
        throw new IllegalArgumentException(
            "row " + index + " lacks the feature '" + f.name() + "'");
      }
      if (f.type() == FeatureType.NUMERIC) {
        if (!v.isNumber() || !Float.isFinite(v.floatValue())) {
          throw new IllegalArgumentException(
              "row " + index + ": '" + f.name() + "' is numeric, got " + v);
        }
        out[at] = v.floatValue();
      } else {
        int k = v.isTextual() ? f.categories().indexOf(v.asText()) : -1;
        if (k < 0) {
          throw new IllegalArgumentException(
              "row "
                  + index
                  + ": '"
                  + f.name()
                  + "' must be one of "
                  + f.categories()
                  + ", got "
                  + v);
        }
        out[at + k] = 1f;
      }
      at += f.width();
    }
  }
}
