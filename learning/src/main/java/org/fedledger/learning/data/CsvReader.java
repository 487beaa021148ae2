package org.fedledger.learning.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads tabular data from CSV: a header line naming the columns, then one sample per line. One
 * column holds the label, an integer class in {@code [0, classes)}; every other column is a numeric
 * feature. Fields are separated by commas and trimmed; quoting is not supported (tabular feature
 * files have no need of it). Blank lines are skipped. Any bad row stops the read with its line
 * number and the problem.
 */
public final class CsvReader {
  private CsvReader() {}

  /** Reads the file; classes is the label range, or 0 to use the largest label + 1. */
  public static LabeledData read(Path file, String labelColumn, int classes) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(r, file.toString(), labelColumn, classes);
    }
  }

  /**
   * Reads CSV text (the reader is not closed).
   *
   * @param source names the input in error messages
   * @param labelColumn name of the label column in the header
   * @param classes number of classes, or 0 to use the largest label + 1
   */
  public static LabeledData read(Reader reader, String source, String labelColumn, int classes)
      throws IOException {
    BufferedReader in = new BufferedReader(reader);
    String headerLine = in.readLine();
    int lineNo = 1;
    while (headerLine != null && headerLine.isBlank()) {
      headerLine = in.readLine();
      lineNo++;
    }
    if (headerLine == null) {
      throw new DataFormatException(source + ": empty file; expected a header line");
    }
    String[] header = split(headerLine);
    int labelIndex = -1;
    for (int i = 0; i < header.length; i++) {
      if (header[i].isEmpty()) {
        throw new DataFormatException(
            source + ":" + lineNo + ": header column " + (i + 1) + " has no name");
      }
      if (header[i].equals(labelColumn)) {
        if (labelIndex >= 0) {
          throw new DataFormatException(
              source + ": the label column '" + labelColumn + "' appears twice in the header");
        }
        labelIndex = i;
      }
    }
    if (labelIndex < 0) {
      throw new DataFormatException(
          source + ": no column named '" + labelColumn + "' in header " + String.join(",", header));
    }
    int width = header.length - 1;
    if (width == 0) {
      throw new DataFormatException(source + ": no feature columns besides the label");
    }
    if (classes < 0) {
      throw new IllegalArgumentException("classes must be 0 (infer) or positive, got " + classes);
    }
    List<float[]> rows = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    int maxLabel = -1;
    String line;
    while ((line = in.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      String[] fields = split(line);
      if (fields.length != header.length) {
        throw new DataFormatException(
            source
                + ":"
                + lineNo
                + ": "
                + fields.length
                + " fields but the header has "
                + header.length);
      }
      float[] row = new float[width];
      int j = 0;
      for (int i = 0; i < fields.length; i++) {
        if (i == labelIndex) {
          int label = parseLabel(fields[i], source, lineNo, classes);
          labels.add(label);
          maxLabel = Math.max(maxLabel, label);
        } else {
          row[j++] = parseFeature(fields[i], header[i], source, lineNo);
        }
      }
      rows.add(row);
    }
    if (rows.isEmpty()) {
      throw new DataFormatException(source + ": header but no data rows");
    }
    int classCount = classes > 0 ? classes : Math.max(2, maxLabel + 1);
    float[] x = new float[Math.multiplyExact(rows.size(), width)];
    int[] y = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, x, i * width, width);
      y[i] = labels.get(i);
    }
    return LabeledData.of(x, new int[] {width}, y, classCount);
  }

  private static String[] split(String line) {
    String[] parts = line.split(",", -1);
    for (int i = 0; i < parts.length; i++) {
      parts[i] = parts[i].trim();
    }
    return parts;
  }

  private static int parseLabel(String s, String source, int lineNo, int classes)
      throws DataFormatException {
    int label;
    try {
      label = Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new DataFormatException(
          source + ":" + lineNo + ": label '" + s + "' is not an integer class", e);
    }
    if (label < 0 || (classes > 0 && label >= classes)) {
      throw new DataFormatException(
          source
              + ":"
              + lineNo
              + ": label "
              + label
              + " is outside [0, "
              + (classes > 0 ? classes : "∞")
              + ")");
    }
    return label;
  }

  private static float parseFeature(String s, String column, String source, int lineNo)
      throws DataFormatException {
    float v;
    try {
      v = Float.parseFloat(s);
    } catch (NumberFormatException e) {
      throw new DataFormatException(
          source + ":" + lineNo + ": column '" + column + "' value '" + s + "' is not a number", e);
    }
    if (!Float.isFinite(v)) {
      throw new DataFormatException(
          source + ":" + lineNo + ": column '" + column + "' value '" + s + "' is not finite");
    }
    return v;
  }
}
