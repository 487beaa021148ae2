package org.fedledger.bench.learning;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.data.schema.DataFormat;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.schema.FeatureSpec;
import org.fedledger.learning.data.schema.LabelSpec;

/**
 * The small public tables scikit-learn ships (Debian's {@code python3-sklearn}, BSD-3-Clause, under
 * {@value #DEBIAN_DIR}), read from the installed package and never copied into this repository:
 * iris, wine and breast cancer (classification; a header line "samples,features,class names..."
 * then rows of features and an integer class) and diabetes (regression; 442 rows of 10 raw features
 * and a separate target file, both gzip), and digits (classification of 8 × 8 images of handwritten
 * digits as 64 pixel counts 0-16; 1,797 rows of pixels and the digit, no header).
 *
 * @param name the table's name
 * @param data its samples
 * @param schema a CSV-like schema for it: numeric features f0.., the label and task
 */
record SklearnTables(String name, LabeledData data, DatasetSchema schema) {
  static final String DEBIAN_DIR = "/usr/lib/python3/dist-packages/sklearn/datasets/data";

  /** The names {@link #load} accepts. */
  static final List<String> NAMES = List.of("iris", "wine", "breast_cancer", "diabetes", "digits");

  static SklearnTables load(Path dir, String name) throws IOException {
    switch (name) {
      case "iris":
        return classification(dir.resolve("iris.csv"), name);
      case "wine":
        return classification(dir.resolve("wine_data.csv"), name);
      case "breast_cancer":
        return classification(dir.resolve("breast_cancer.csv"), name);
      case "diabetes":
        return diabetes(dir);
      case "digits":
        return digits(dir.resolve("digits.csv.gz"));
      default:
        throw new IllegalArgumentException("unknown table '" + name + "'; use one of " + NAMES);
    }
  }

  private static SklearnTables classification(Path file, String name) throws IOException {
    List<String> lines = readLines(file);
    String[] header = lines.get(0).split(",", -1);
    int samples = Integer.parseInt(header[0].trim());
    int features = Integer.parseInt(header[1].trim());
    List<String> classes = new ArrayList<>();
    for (int k = 2; k < header.length; k++) {
      classes.add(header[k].trim());
    }
    float[] x = new float[samples * features];
    int[] y = new int[samples];
    for (int i = 0; i < samples; i++) {
      String[] fields = lines.get(i + 1).split(",", -1);
      if (fields.length != features + 1) {
        throw new IOException(file + ":" + (i + 2) + ": expected " + (features + 1) + " fields");
      }
      for (int j = 0; j < features; j++) {
        x[i * features + j] = Float.parseFloat(fields[j].trim());
      }
      y[i] = Integer.parseInt(fields[features].trim());
    }
    LabeledData data = LabeledData.of(x, new int[] {features}, y, classes.size());
    return new SklearnTables(
        name, data, schema(features, LabelSpec.classification("label", classes)));
  }

  private static SklearnTables digits(Path file) throws IOException {
    List<String> lines = readLines(file);
    int features = 64;
    float[] x = new float[lines.size() * features];
    int[] y = new int[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      String[] fields = lines.get(i).split(",", -1);
      if (fields.length != features + 1) {
        throw new IOException(file + ":" + (i + 1) + ": expected " + (features + 1) + " fields");
      }
      for (int j = 0; j < features; j++) {
        x[i * features + j] = Float.parseFloat(fields[j].trim());
      }
      y[i] = Integer.parseInt(fields[features].trim());
    }
    List<String> classes = new ArrayList<>();
    for (int d = 0; d <= 9; d++) {
      classes.add(Integer.toString(d));
    }
    LabeledData data = LabeledData.of(x, new int[] {features}, y, classes.size());
    return new SklearnTables(
        "digits", data, schema(features, LabelSpec.classification("digit", classes)));
  }

  private static SklearnTables diabetes(Path dir) throws IOException {
    List<String> rows = readLines(dir.resolve("diabetes_data_raw.csv.gz"));
    List<String> targets = readLines(dir.resolve("diabetes_target.csv.gz"));
    int features = rows.get(0).trim().split("\\s+", -1).length;
    int samples = rows.size();
    float[] x = new float[samples * features];
    float[] y = new float[samples];
    for (int i = 0; i < samples; i++) {
      String[] fields = rows.get(i).trim().split("\\s+", -1);
      for (int j = 0; j < features; j++) {
        x[i * features + j] = Float.parseFloat(fields[j]);
      }
      y[i] = Float.parseFloat(targets.get(i).trim());
    }
    LabeledData data = LabeledData.regression(x, new int[] {features}, y, 1);
    return new SklearnTables(
        "diabetes", data, schema(features, LabelSpec.regression(List.of("progression"))));
  }

  private static DatasetSchema schema(int features, LabelSpec label) {
    List<FeatureSpec> specs = new ArrayList<>();
    for (int j = 0; j < features; j++) {
      specs.add(FeatureSpec.numeric("f" + j));
    }
    return new DatasetSchema(DataFormat.CSV, specs, label, List.of(features), null, null);
  }

  private static List<String> readLines(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank()) {
          lines.add(line);
        }
      }
    }
    return lines;
  }
}
