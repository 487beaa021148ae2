package org.fedledger.learning.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.fedledger.learning.data.schema.DataFormat;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.schema.FeatureSpec;
import org.fedledger.learning.data.schema.FeatureType;
import org.fedledger.learning.data.schema.MissingRule;
import org.fedledger.learning.data.schema.Task;

/**
 * Reads a CSV table ({@link CsvTable}) under a {@link DatasetSchema}. Columns are found by header
 * name, so their order in the file does not matter, and columns the schema does not name are
 * ignored (an id column, say). Each sample's features are the schema's features in schema order: a
 * numeric column as one value, a categorical one as a one-hot block in vocabulary order. The label
 * is a class name of the schema (classification) or a number per output column (regression).
 *
 * <p>A field is missing when it is empty or one of the schema's {@code missingMarkers}. A missing
 * feature is refused or filled by its rule ({@code mean}: the mean of the column's present values
 * in this file); a missing label is always refused. Every refusal names {@code file:line:column},
 * what is wrong and what to do, and nothing is returned.
 */
public final class CsvReader {
  // Plain decimal numbers only: Float.parseFloat would also take "1f", "0x1p3" and "NaN".
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
  private static final Pattern NOT_FINITE =
      Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);

  private CsvReader() {}

  /** Reads a CSV file under the schema. */
  public static LabeledData read(Path file, DatasetSchema schema) throws IOException {
    return read(CsvTable.read(file), schema);
  }

  /** Reads parsed CSV text under the schema. */
  public static LabeledData read(CsvTable table, DatasetSchema schema) throws DataFormatException {
    if (schema.format() != DataFormat.CSV) {
      throw new IllegalArgumentException(
          "a " + schema.format().jsonName() + " schema cannot read the CSV file " + table.source());
    }
    List<FeatureSpec> features = schema.features();
    int[] featureColumns = new int[features.size()];
    for (int f = 0; f < features.size(); f++) {
      featureColumns[f] = requireColumn(table, features.get(f).name(), "feature");
    }
    List<String> labelNames = schema.label().columns();
    int[] labelColumns = new int[labelNames.size()];
    for (int k = 0; k < labelColumns.length; k++) {
      labelColumns[k] = requireColumn(table, labelNames.get(k), "label");
    }
    int width = schema.sampleShape()[0];
    int n = table.rows().size();
    float[] x = new float[Math.multiplyExact(n, width)];
    boolean regression = schema.task() == Task.REGRESSION;
    int[] labels = regression ? null : new int[n];
    float[] targets = regression ? new float[Math.multiplyExact(n, labelColumns.length)] : null;
    // Positions of values to fill with their column's mean once every row is read.
    List<int[]> meanFills = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      CsvTable.Row row = table.rows().get(i);
      checkWidth(table, row);
      int offset = i * width;
      for (int f = 0; f < features.size(); f++) {
        FeatureSpec spec = features.get(f);
        int c = featureColumns[f];
        String value = row.fields()[c];
        if (isMissing(value, schema)) {
          MissingRule rule = spec.missing().rule();
          if (rule == MissingRule.REFUSE) {
            throw new DataFormatException(
                at(table, row, c)
                    + ": column '"
                    + spec.name()
                    + "' has no value; fill it in, or give '"
                    + spec.name()
                    + "' a missing-value rule (mean or constant) in the schema");
          }
          if (rule == MissingRule.MEAN) {
            meanFills.add(new int[] {i, f, offset});
          } else if (spec.type() == FeatureType.NUMERIC) {
            x[offset] = spec.constantValue();
          } else {
            x[offset + spec.categories().indexOf(spec.missing().value())] = 1f;
          }
        } else if (spec.type() == FeatureType.NUMERIC) {
          x[offset] = number(table, row, c, spec.name());
        } else {
          int k = spec.categories().indexOf(value);
          if (k < 0) {
            throw new DataFormatException(
                at(table, row, c)
                    + ": column '"
                    + spec.name()
                    + "' value '"
                    + value
                    + "' is not one of the schema's categories "
                    + spec.categories()
                    + "; correct the value, or add it to the vocabulary (every owner then needs"
                    + " the new schema)");
          }
          x[offset + k] = 1f;
        }
        offset += spec.width();
      }
      if (regression) {
        for (int k = 0; k < labelColumns.length; k++) {
          int c = labelColumns[k];
          if (isMissing(row.fields()[c], schema)) {
            throw missingLabel(table, row, c);
          }
          targets[i * labelColumns.length + k] = number(table, row, c, labelNames.get(k));
        }
      } else {
        labels[i] = classOf(table, row, labelColumns[0], schema);
      }
    }
    fillMeans(table, schema, meanFills, x, width);
    return regression
        ? LabeledData.regression(x, schema.sampleShape(), targets, labelColumns.length)
        : LabeledData.of(x, schema.sampleShape(), labels, schema.outputCount());
  }

  private static int requireColumn(CsvTable table, String name, String role)
      throws DataFormatException {
    int c = table.column(name);
    if (c < 0) {
      throw new DataFormatException(
          table.source()
              + ":"
              + table.headerLine()
              + ": no column named '"
              + name
              + "', which the schema names as a "
              + role
              + "; the header has "
              + table.header()
              + ". Rename the column, or use a schema made for this file"
              + " (fedledger dataset schema)");
    }
    return c;
  }

  private static void checkWidth(CsvTable table, CsvTable.Row row) throws DataFormatException {
    int have = row.fields().length;
    int want = table.header().size();
    if (have != want) {
      throw new DataFormatException(
          CsvTable.where(table.source(), row.line(), Math.min(have, want))
              + ": "
              + have
              + " fields but the header has "
              + want
              + " columns; every row needs one field per column (leave a field empty if the"
              + " value is missing)");
    }
  }

  private static boolean isMissing(String value, DatasetSchema schema) {
    return value.isEmpty() || schema.missingMarkers().contains(value);
  }

  private static String at(CsvTable table, CsvTable.Row row, int column) {
    return CsvTable.where(table.source(), row.line(), column);
  }

  private static DataFormatException missingLabel(CsvTable table, CsvTable.Row row, int c) {
    return new DataFormatException(
        at(table, row, c)
            + ": the label '"
            + table.header().get(c)
            + "' has no value; a sample needs its answer, so fill it in or remove the row");
  }

  /** Parses a finite decimal number, naming the place and the column when it is not one. */
  static float number(CsvTable table, CsvTable.Row row, int c, String column)
      throws DataFormatException {
    String s = row.fields()[c];
    if (NOT_FINITE.matcher(s).matches()) {
      throw new DataFormatException(
          at(table, row, c)
              + ": column '"
              + column
              + "' value '"
              + s
              + "' is not finite (NaN and infinity are refused); write a number, or leave the field"
              + " empty for the schema's missing-value rule");
    }
    float v = NUMBER.matcher(s).matches() ? Float.parseFloat(s) : Float.NaN;
    if (Float.isNaN(v)) {
      throw new DataFormatException(
          at(table, row, c)
              + ": column '"
              + column
              + "' value '"
              + s
              + "' is not a number, but the schema says the column is numeric; correct the value,"
              + " or make the column categorical in the schema");
    }
    if (Float.isInfinite(v)) {
      throw new DataFormatException(
          at(table, row, c)
              + ": column '"
              + column
              + "' value '"
              + s
              + "' is too large for a 32-bit float; rescale the column");
    }
    return v;
  }

  private static int classOf(CsvTable table, CsvTable.Row row, int c, DatasetSchema schema)
      throws DataFormatException {
    String value = row.fields()[c];
    if (isMissing(value, schema)) {
      throw missingLabel(table, row, c);
    }
    int k = schema.label().classes().indexOf(value);
    if (k < 0) {
      throw new DataFormatException(
          at(table, row, c)
              + ": class '"
              + value
              + "' is not one of the schema's classes "
              + schema.label().classes()
              + "; correct the label, or add the class to the schema (every owner then needs the"
              + " new schema)");
    }
    return k;
  }

  private static void fillMeans(
      CsvTable table, DatasetSchema schema, List<int[]> fills, float[] x, int width)
      throws DataFormatException {
    if (fills.isEmpty()) {
      return;
    }
    List<FeatureSpec> features = schema.features();
    int[] offsets = new int[features.size()];
    for (int f = 1; f < offsets.length; f++) {
      offsets[f] = offsets[f - 1] + features.get(f - 1).width();
    }
    boolean[] missing = new boolean[x.length];
    for (int[] fill : fills) {
      missing[fill[2]] = true;
    }
    int n = x.length / width;
    for (int f = 0; f < features.size(); f++) {
      if (features.get(f).missing().rule() != MissingRule.MEAN) {
        continue;
      }
      // Summed in double, in row order, so that every run gives the same mean.
      double sum = 0;
      int count = 0;
      for (int i = 0; i < n; i++) {
        int at = i * width + offsets[f];
        if (!missing[at]) {
          sum += x[at];
          count++;
        }
      }
      if (count == 0) {
        throw new DataFormatException(
            table.source()
                + ":"
                + table.headerLine()
                + ":"
                + (table.column(features.get(f).name()) + 1)
                + ": column '"
                + features.get(f).name()
                + "' has no values at all, so there is no mean to fill it with; drop the"
                + " feature from the schema or give it a constant");
      }
      float mean = (float) (sum / count);
      for (int i = 0; i < n; i++) {
        int at = i * width + offsets[f];
        if (missing[at]) {
          x[at] = mean;
        }
      }
    }
  }
}
