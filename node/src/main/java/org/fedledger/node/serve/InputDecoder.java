package org.fedledger.node.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
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

  // Reads back the trees of InputDecoder's tests and callers that hold rows as a tree.
  private static final ObjectMapper TREES = new ObjectMapper();

  private final int inputSize;
  private final DatasetSchema schema;
  private final DatasetSchema imageSchema;

  /**
   * @param schema the model's dataset schema, or null for raw arrays
   */
  public InputDecoder(int inputSize, DatasetSchema schema) {
    if (inputSize <= 0) {
      throw new IllegalArgumentException(
          "a model takes at least one input value, not " + inputSize);
    }
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

  /** Values per row. */
  public int inputSize() {
    return inputSize;
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
    try (JsonParser parser = (rows == null ? MissingNode.getInstance() : rows).traverse(TREES)) {
      parser.nextToken();
      return decode(parser);
    } catch (IOException e) {
      // A tree is JSON already: reading it back cannot fail on syntax.
      throw new UncheckedIOException("cannot read back a JSON tree", e);
    }
  }

  /**
   * The values of every row laid end to end, read from the rows value at the parser's current token
   * without building a tree of it (a predict body's decimals go straight into the floats). The
   * whole value is read even if a row does not fit, so that JSON broken further on is reported as
   * such first; after it the parser is at the value's last token. The parser needs a codec (an
   * {@code ObjectMapper}'s parsers have one): rows of named features and images, and the value a
   * refusal names, are read as trees.
   *
   * @throws IOException if the JSON is broken
   * @throws IllegalArgumentException with the reason if a row does not fit
   */
  public float[] decode(JsonParser parser) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      parser.skipChildren();
      throw noRows();
    }
    float[] out = new float[inputSize];
    int rows = 0;
    IllegalArgumentException refused = null;
    for (JsonToken t = next(parser); t != JsonToken.END_ARRAY; t = next(parser)) {
      if (rows >= MAX_ROWS || refused != null) {
        parser.skipChildren();
      } else {
        if (out.length < (rows + 1) * inputSize) {
          out = Arrays.copyOf(out, 2 * out.length);
        }
        try {
          row(parser, t, rows, out, rows * inputSize);
        } catch (IllegalArgumentException e) {
          refused = e;
        }
      }
      rows++;
    }
    if (rows == 0) {
      throw noRows();
    }
    if (rows > MAX_ROWS) {
      throw new IllegalArgumentException(
          rows + " rows in one request; at most " + MAX_ROWS + ", split the request");
    }
    if (refused != null) {
      throw refused;
    }
    return out.length == rows * inputSize ? out : Arrays.copyOf(out, rows * inputSize);
  }

  /** The refusal of a body without rows, saying what rows this model takes. */
  IllegalArgumentException noRows() {
    return new IllegalArgumentException(
        "the body needs \"rows\": a non-empty array of "
            + (named()
                ? "objects of the features " + featureNames()
                : "arrays of " + inputSize + " numbers or strings of base64 float32 values")
            + (images() ? " or {\"image\": \"<base64 PNG or JPEG>\"}" : ""));
  }

  // One row, whose first token is t. Every row's whole value is read before it is refused.
  private void row(JsonParser parser, JsonToken t, int index, float[] out, int offset)
      throws IOException {
    if (named()) {
      namedRow(parser.readValueAsTree(), index, out, offset);
    } else if (t == JsonToken.START_OBJECT && images()) {
      imageRow(parser.readValueAsTree(), index, out, offset);
    } else if (t == JsonToken.VALUE_STRING) {
      compactRow(parser.getText(), index, out, offset);
    } else if (t == JsonToken.START_ARRAY) {
      rawRow(parser, index, out, offset);
    } else {
      parser.skipChildren();
      throw notAnArray(index);
    }
  }

  private static JsonToken next(JsonParser parser) throws IOException {
    JsonToken t = parser.nextToken();
    if (t == null) {
      throw new JsonEOFException(parser, null, "the JSON ends inside \"rows\"");
    }
    return t;
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

  // An array of numbers, read value by value. Its length is checked before its values, as a tree's
  // would be: the first value that is not a finite number is kept until the array has ended.
  private void rawRow(JsonParser parser, int index, float[] out, int offset) throws IOException {
    int count = 0;
    int badAt = -1;
    String bad = null;
    for (JsonToken t = next(parser); t != JsonToken.END_ARRAY; t = next(parser)) {
      if (count >= inputSize || bad != null) {
        parser.skipChildren();
      } else {
        float v = number(parser, t);
        if (Float.isFinite(v)) {
          out[offset + count] = v;
        } else {
          badAt = count;
          bad = parser.readValueAsTree().toString();
        }
      }
      count++;
    }
    if (count != inputSize) {
      throw notAnArray(index);
    }
    if (bad != null) {
      throw new IllegalArgumentException(
          "row " + index + ", value " + badAt + " is " + bad + ", not a finite number");
    }
  }

  /**
   * The number at the parser as float, rounded as Jackson's tree rounds it ({@code
   * JsonNode.floatValue()}: a decimal through double, an integer from its int, long or BigInteger),
   * so that the answer is the same to the bit; NaN if the token is not a number.
   */
  private static float number(JsonParser parser, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      return (float) parser.getDoubleValue();
    }
    if (t != JsonToken.VALUE_NUMBER_INT) {
      return Float.NaN;
    }
    JsonParser.NumberType type = parser.getNumberType();
    if (type == JsonParser.NumberType.INT) {
      return (float) parser.getIntValue();
    }
    if (type == JsonParser.NumberType.LONG) {
      return (float) parser.getLongValue();
    }
    return parser.getBigIntegerValue().floatValue();
  }

  private IllegalArgumentException notAnArray(int index) {
    return new IllegalArgumentException(
        "row "
            + index
            + " must be an array of "
            + inputSize
            + " numbers (the model's input size)"
            + (images()
                ? ", a string of base64 float32 values or {\"image\": \"<base64 PNG or JPEG>\"}"
                : " or a string of base64 float32 values"));
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
