package org.fedledger.learning.data.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Reads and writes {@link DatasetSchema} as JSON, and gives its canonical bytes for hashing. */
public final class DatasetSchemaJson {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private DatasetSchemaJson() {}

  /**
   * Parses a schema, failing with what is wrong.
   *
   * @throws IllegalArgumentException if the text is not JSON, has unknown fields, or breaks a
   *     schema rule
   */
  public static DatasetSchema parse(String json) {
    try {
      return JSON.readValue(json, DatasetSchema.class);
    } catch (ValueInstantiationException e) {
      // A record's own check failed: its message is the useful part.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalArgumentException("invalid dataset schema: " + cause.getMessage(), cause);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "invalid dataset schema JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Reads a schema file; errors name the file. */
  public static DatasetSchema read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          file + ": " + e.getMessage() + "; fix the schema file and try again", e);
    }
  }

  /** The schema as indented JSON for a person to review and edit, keys in canonical order. */
  public static String toJson(DatasetSchema schema) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(asSortedTree(schema));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a valid schema always serializes", e);
    }
  }

  /** Writes {@link #toJson} to a file, with a final newline. */
  public static void write(DatasetSchema schema, Path file) throws IOException {
    Files.writeString(file, toJson(schema) + "\n", StandardCharsets.UTF_8);
  }

  /**
   * The canonical encoding hashed by {@link DatasetSchema#hash()}: compact UTF-8 JSON, object keys
   * sorted at every level, absent and empty fields left out.
   */
  public static byte[] canonical(DatasetSchema schema) {
    try {
      return JSON.writeValueAsBytes(asSortedTree(schema));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a valid schema always serializes", e);
    }
  }

  // Through maps, whose keys ORDER_MAP_ENTRIES_BY_KEYS sorts at every level; records would keep
  // their component order.
  private static Map<String, Object> asSortedTree(DatasetSchema schema) {
    return JSON.convertValue(schema, new TypeReference<Map<String, Object>>() {});
  }
}
