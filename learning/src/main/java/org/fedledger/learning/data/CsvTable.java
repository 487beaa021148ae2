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
 * A CSV file as text fields: a header line naming the columns, then one row per line, each with the
 * line number it came from so that errors can say {@code file:line:column}. Fields are separated by
 * commas; an unquoted field is trimmed; a field in double quotes keeps its spaces and commas, and
 * {@code ""} inside it is one quote. A quoted field may not span lines. Blank lines are skipped and
 * a UTF-8 byte-order mark is ignored. Columns are numbered from 1 in messages.
 *
 * @param source names the input in error messages (the file path)
 * @param header the column names
 * @param headerLine the header's line number
 * @param rows the data rows, in file order
 */
public record CsvTable(String source, List<String> header, int headerLine, List<Row> rows) {
  /** One data row and the line it came from. */
  public record Row(int line, String[] fields) {}

  public CsvTable {
    header = List.copyOf(header);
    rows = List.copyOf(rows);
  }

  /** Reads a UTF-8 CSV file. */
  public static CsvTable read(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(r, file.toString());
    }
  }

  /**
   * Reads CSV text (the reader is not closed).
   *
   * @throws DataFormatException if there is no header, a header column has no name or appears
   *     twice, there are no data rows, or a quote is left open
   */
  public static CsvTable read(Reader reader, String source) throws IOException {
    BufferedReader in = new BufferedReader(reader);
    String line = in.readLine();
    int lineNo = 1;
    if (line != null && line.startsWith("\uFEFF")) {
      line = line.substring(1);
    }
    while (line != null && line.isBlank()) {
      line = in.readLine();
      lineNo++;
    }
    if (line == null) {
      throw new DataFormatException(
          source + ": empty file; expected a header line naming the columns, then data rows");
    }
    String[] header = split(line, source, lineNo);
    int headerLine = lineNo;
    for (int i = 0; i < header.length; i++) {
      if (header[i].isEmpty()) {
        throw new DataFormatException(
            where(source, lineNo, i) + ": header column has no name; give every column a name");
      }
      for (int j = 0; j < i; j++) {
        if (header[j].equals(header[i])) {
          throw new DataFormatException(
              where(source, lineNo, i)
                  + ": column '"
                  + header[i]
                  + "' appears twice in the header (also column "
                  + (j + 1)
                  + "); rename one");
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    while ((line = in.readLine()) != null) {
      lineNo++;
      if (!line.isBlank()) {
        rows.add(new Row(lineNo, split(line, source, lineNo)));
      }
    }
    if (rows.isEmpty()) {
      throw new DataFormatException(
          source + ": a header but no data rows; add one line per sample below the header");
    }
    return new CsvTable(source, List.of(header), headerLine, rows);
  }

  /** The 0-based index of the named column, or -1. */
  public int column(String name) {
    return header.indexOf(name);
  }

  /** {@code source:line:column} with a 0-based column index, printed from 1. */
  public static String where(String source, int line, int columnIndex) {
    return source + ":" + line + ":" + (columnIndex + 1);
  }

  private static String[] split(String line, String source, int lineNo) throws DataFormatException {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    int n = line.length();
    while (true) {
      while (i < n && line.charAt(i) == ' ') {
        i++;
      }
      if (i < n && line.charAt(i) == '"') {
        int open = i++;
        field.setLength(0);
        while (true) {
          if (i >= n) {
            throw new DataFormatException(
                where(source, lineNo, fields.size())
                    + ": the quote opened at character "
                    + (open + 1)
                    + " is never closed; close it on the same line (fields may not span lines)");
          }
          char c = line.charAt(i++);
          if (c == '"') {
            if (i < n && line.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              break;
            }
          } else {
            field.append(c);
          }
        }
        while (i < n && line.charAt(i) != ',') {
          if (!Character.isWhitespace(line.charAt(i))) {
            throw new DataFormatException(
                where(source, lineNo, fields.size())
                    + ": text after a closing quote; put the whole field inside the quotes");
          }
          i++;
        }
        fields.add(field.toString());
      } else {
        int comma = line.indexOf(',', i);
        int end = comma < 0 ? n : comma;
        fields.add(line.substring(i, end).trim());
        i = end;
      }
      if (i >= n) {
        return fields.toArray(new String[0]);
      }
      i++; // the comma
    }
  }
}
