package org.fedledger.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.learning.data.CsvTable;

/**
 * The rows of a predict request, read from the user's file. A JSON file holds either the request's
 * {@code {"rows": [...]}} or the array of rows itself. A CSV file has a header naming the model's
 * features; each line becomes one row object (numbers where a field reads as one, text otherwise),
 * leaving out the label column if one is named. Whether the rows fit the model is the provider's to
 * say: it knows the model's schema.
 */
public final class PredictInput {
  private PredictInput() {}

  /**
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  static ArrayNode json(Path file) throws IOException {
    JsonNode json;
    try {
      json = NodeClient.JSON.readTree(Files.readString(file));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(
          file + " is not JSON: " + e.getOriginalMessage() + "; give {\"rows\": [...]}");
    }
    JsonNode rows = json != null && json.isObject() ? json.get("rows") : json;
    if (rows == null || !rows.isArray() || rows.isEmpty()) {
      throw new IllegalArgumentException(
          file
              + " must hold {\"rows\": [...]} or an array of rows, with at least one row (an"
              + " object of named features, or an array of numbers)");
    }
    return (ArrayNode) rows;
  }

  /**
   * @param label a column to leave out (the label), or null
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  static ArrayNode csv(Path file, String label) throws IOException {
    return rowsOf(CsvTable.read(file), label);
  }

  /**
   * A table's rows as objects of named features, label (if not null) left out.
   *
   * @throws IllegalArgumentException naming the source and what is wrong with it
   */
  public static ArrayNode rowsOf(CsvTable table, String label) {
    String file = table.source();
    if (label != null && table.column(label) < 0) {
      throw new IllegalArgumentException(
          file + " has no column '" + label + "' to leave out; its columns are " + table.header());
    }
    ArrayNode rows = NodeClient.JSON.createArrayNode();
    for (CsvTable.Row row : table.rows()) {
      if (row.fields().length != table.header().size()) {
        throw new IllegalArgumentException(
            file
                + ":"
                + row.line()
                + " has "
                + row.fields().length
                + " fields; the header names "
                + table.header().size());
      }
      ObjectNode out = rows.addObject();
      for (int c = 0; c < row.fields().length; c++) {
        String name = table.header().get(c);
        if (!name.equals(label)) {
          put(out, name, row.fields()[c]);
        }
      }
    }
    return rows;
  }

  private static void put(ObjectNode row, String name, String field) {
    try {
      row.put(name, new BigDecimal(field));
    } catch (NumberFormatException e) {
      row.put(name, field);
    }
  }
}
