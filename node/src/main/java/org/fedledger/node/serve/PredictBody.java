package org.fedledger.node.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * A predict call's body, {@code {"rows": [...], "voucher": "..."}}, read in one pass of Jackson's
 * streaming parser: the rows go straight into the model's input values, with no tree in between.
 * Other fields are ignored; "rows" or "voucher" twice is refused, since a reader could take either.
 * Anything after the body's object is not read, as {@code ObjectMapper.readTree} does not read it.
 *
 * @param inputs the rows' values laid end to end; null if the rows were not decoded
 * @param rows how many rows
 * @param voucher the body's voucher as text, or null if it has none (or it is JSON null)
 * @param refusal why the rows do not fit the model, or null if they do
 */
record PredictBody(float[] inputs, int rows, String voucher, String refusal) {
  static final String ROWS = "rows";
  static final String VOUCHER = "voucher";

  /**
   * Reads a body whole. The rows are decoded for the model's decoder; with a null decoder (the
   * model is not available) they are only checked for being JSON. A body that is not JSON, or not
   * an object, throws before anything else is said about it; a refusal of the rows is returned in
   * {@link #refusal()} so that the caller may report other faults first, as it did when the body
   * was read as a tree.
   *
   * @throws IOException if the body is not JSON
   * @throws IllegalArgumentException if the body is not a JSON object or repeats a field
   */
  static PredictBody read(ObjectMapper json, byte[] body, InputDecoder decoder) throws IOException {
    try (JsonParser parser = json.createParser(body)) {
      // Correctly rounded as Double.parseDouble is, so the values are the same to the bit; faster.
      parser.enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature());
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        parser.skipChildren();
        throw new IllegalArgumentException(
            "the body must be a JSON object: {\"rows\": [...], \"voucher\": \"...\"}");
      }
      return fields(parser, decoder);
    }
  }

  private static PredictBody fields(JsonParser parser, InputDecoder decoder) throws IOException {
    boolean sawRows = false;
    boolean sawVoucher = false;
    float[] inputs = null;
    String voucher = null;
    String refusal = null;
    for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
      JsonToken value = parser.nextToken();
      if (name.equals(ROWS)) {
        sawRows = once(sawRows, ROWS);
        if (decoder == null) {
          parser.skipChildren();
        } else {
          try {
            inputs = decoder.decode(parser);
          } catch (IllegalArgumentException e) {
            refusal = e.getMessage();
          }
        }
      } else if (name.equals(VOUCHER)) {
        sawVoucher = once(sawVoucher, VOUCHER);
        voucher = voucher(parser, value);
      } else {
        parser.skipChildren();
      }
    }
    if (decoder != null && !sawRows) {
      refusal = decoder.noRows().getMessage();
    }
    int rows = inputs == null ? 0 : inputs.length / decoder.inputSize();
    return new PredictBody(inputs, rows, voucher, refusal);
  }

  private static boolean once(boolean seen, String field) {
    if (seen) {
      throw new IllegalArgumentException(
          "the body has \"" + field + "\" twice; send each field once");
    }
    return true;
  }

  // As the tree read it: text as it is, null as none, and anything else as JsonNode.asText().
  private static String voucher(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      return parser.getText();
    }
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    JsonNode node = parser.readValueAsTree();
    return node.asText();
  }
}
