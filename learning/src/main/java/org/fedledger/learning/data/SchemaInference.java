package org.fedledger.learning.data;

import ai.djl.modality.cv.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.fedledger.learning.data.schema.DataFormat;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.schema.FeatureSpec;
import org.fedledger.learning.data.schema.ImageOptions;
import org.fedledger.learning.data.schema.LabelSpec;
import org.fedledger.learning.data.schema.Missing;
import org.fedledger.learning.data.schema.Task;

/**
 * Proposes a {@link DatasetSchema} for a user's data, for the user to review and edit: what {@code
 * fedledger dataset schema} prints. The proposal always reads the data it came from (it is checked
 * by reading it), but it is a guess: a column of numbers that are really codes, a vocabulary that
 * lacks words other owners have, or a size the images should have are for the user to fix.
 *
 * <ul>
 *   <li><b>CSV file:</b> a column all of whose present values are decimal numbers is numeric, any
 *       other is categorical with its sorted distinct values as vocabulary; NaN or infinity in an
 *       otherwise numeric column is refused with its place, as reading would. Fields that are empty
 *       or one of {@value #MARKERS_DOC} are missing; a numeric column with missing values fills
 *       them with its mean, a categorical one with its most frequent word. The task is regression
 *       when several label columns are named or the label has a non-integer number, else
 *       classification with the sorted distinct labels as classes (integers in numeric order).
 *   <li><b>Directory of IDX files</b> ({@link IdxFolder}): shape {@code [1, rows, cols]}, classes
 *       "0" to the largest label.
 *   <li><b>Directory of class folders</b> ({@link ImageFolderReader}): classes are the folder
 *       names; the shape is the most common image size, with 1 channel when every image is
 *       grayscale and 3 otherwise; resizing is allowed when sizes differ and refused when they do
 *       not.
 * </ul>
 */
public final class SchemaInference {
  static final String MARKERS_DOC = "NA, N/A, ?, null";
  private static final List<String> KNOWN_MARKERS = List.of("NA", "N/A", "?", "null");
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
  private static final Pattern NOT_FINITE =
      Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);
  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

  private SchemaInference() {}

  /**
   * Proposes a schema for the file or directory.
   *
   * @param labelColumns a CSV file's label column(s); ignored for directories
   * @param task the task if the user names it; inferred otherwise
   * @throws DataFormatException if the data cannot be read at all, naming where
   * @throws IllegalArgumentException if the options do not fit the data (no label column, a
   *     regression on images)
   */
  public static DatasetSchema infer(Path data, List<String> labelColumns, Optional<Task> task)
      throws IOException {
    if (Files.isDirectory(data)) {
      if (task.isPresent() && task.get() == Task.REGRESSION) {
        throw new IllegalArgumentException(
            data + " is a folder of images, which are labelled by class; drop --task regression");
      }
      return hasIdx(data) ? idx(data) : images(data);
    }
    if (!Files.isRegularFile(data)) {
      throw new java.nio.file.NoSuchFileException(
          data.toString(), null, "no such file or directory");
    }
    return csv(CsvTable.read(data), labelColumns, task);
  }

  private static boolean hasIdx(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.anyMatch(p -> p.getFileName().toString().contains("-idx3-ubyte"));
    }
  }

  static DatasetSchema csv(CsvTable table, List<String> labelColumns, Optional<Task> task)
      throws DataFormatException {
    if (labelColumns.isEmpty()) {
      throw new IllegalArgumentException(
          "name the label column of "
              + table.source()
              + " (--label COLUMN); its header is "
              + table.header());
    }
    int[] labelIdx = new int[labelColumns.size()];
    for (int k = 0; k < labelIdx.length; k++) {
      labelIdx[k] = table.column(labelColumns.get(k));
      if (labelIdx[k] < 0) {
        throw new DataFormatException(
            table.source()
                + ":"
                + table.headerLine()
                + ": no label column named '"
                + labelColumns.get(k)
                + "'; the header has "
                + table.header());
      }
    }
    Set<String> markers = new LinkedHashSet<>();
    List<FeatureSpec> features = new ArrayList<>();
    int width = 0;
    for (int c = 0; c < table.header().size(); c++) {
      if (contains(labelIdx, c)) {
        continue;
      }
      FeatureSpec f = column(table, c, markers);
      features.add(f);
      width += f.width();
    }
    if (features.isEmpty()) {
      throw new DataFormatException(
          table.source() + ": no feature columns besides the label; a model needs inputs");
    }
    Task chosen = task.orElseGet(() -> guessTask(table, labelIdx));
    LabelSpec label =
        chosen == Task.REGRESSION
            ? LabelSpec.regression(labelColumns)
            : classes(table, labelColumns, labelIdx);
    DatasetSchema schema =
        new DatasetSchema(
            DataFormat.CSV, features, label, List.of(width), null, List.copyOf(markers));
    CsvReader.read(table, schema); // a proposal that cannot read its own data is no proposal
    return schema;
  }

  private static boolean contains(int[] values, int v) {
    for (int x : values) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }

  private static boolean missing(String v) {
    return v.isEmpty() || KNOWN_MARKERS.contains(v);
  }

  private static FeatureSpec column(CsvTable table, int c, Set<String> markers)
      throws DataFormatException {
    String name = table.header().get(c);
    boolean numeric = true;
    boolean hasMissing = false;
    CsvTable.Row nonFinite = null;
    Map<String, Integer> counts = new TreeMap<>();
    for (CsvTable.Row row : table.rows()) {
      if (c >= row.fields().length) {
        continue; // a ragged row; reading the proposal refuses it with its place
      }
      String v = row.fields()[c];
      if (missing(v)) {
        hasMissing = true;
        if (!v.isEmpty()) {
          markers.add(v);
        }
        continue;
      }
      if (NOT_FINITE.matcher(v).matches()) {
        nonFinite = nonFinite == null ? row : nonFinite;
      } else {
        numeric = numeric && NUMBER.matcher(v).matches();
      }
      counts.merge(v, 1, Integer::sum);
    }
    if (numeric && nonFinite != null) {
      CsvReader.number(table, nonFinite, c, name); // refuses NaN and infinity with their place
    }
    if (counts.isEmpty()) {
      throw new DataFormatException(
          table.source()
              + ":"
              + table.headerLine()
              + ":"
              + (c + 1)
              + ": column '"
              + name
              + "' has no values at all; remove it from the file");
    }
    if (numeric) {
      FeatureSpec f = FeatureSpec.numeric(name);
      return hasMissing ? f.withMissing(Missing.MEAN) : f;
    }
    FeatureSpec f = FeatureSpec.categorical(name, List.copyOf(counts.keySet()));
    if (!hasMissing) {
      return f;
    }
    String mostFrequent =
        counts.entrySet().stream()
            .max(Comparator.comparingInt(Map.Entry<String, Integer>::getValue))
            .orElseThrow()
            .getKey();
    return f.withMissing(Missing.constant(mostFrequent));
  }

  private static Task guessTask(CsvTable table, int[] labelIdx) {
    if (labelIdx.length > 1) {
      return Task.REGRESSION;
    }
    for (CsvTable.Row row : table.rows()) {
      if (labelIdx[0] < row.fields().length) {
        String v = row.fields()[labelIdx[0]];
        if (NUMBER.matcher(v).matches() && !INTEGER.matcher(v).matches()) {
          return Task.REGRESSION;
        }
      }
    }
    return Task.CLASSIFICATION;
  }

  private static LabelSpec classes(CsvTable table, List<String> names, int[] labelIdx)
      throws DataFormatException {
    if (labelIdx.length > 1) {
      throw new IllegalArgumentException(
          "classification has one label column, but " + names + " were named; name one");
    }
    Set<String> values = new java.util.TreeSet<>();
    boolean integers = true;
    for (CsvTable.Row row : table.rows()) {
      if (labelIdx[0] < row.fields().length && !missing(row.fields()[labelIdx[0]])) {
        String v = row.fields()[labelIdx[0]];
        values.add(v);
        integers = integers && INTEGER.matcher(v).matches();
      }
    }
    List<String> classes = new ArrayList<>(values);
    if (integers) {
      classes.sort(Comparator.comparingLong(Long::parseLong));
    }
    if (classes.size() < 2) {
      throw new DataFormatException(
          table.source()
              + ": the label column '"
              + names.get(0)
              + "' has "
              + classes.size()
              + " distinct value(s) "
              + classes
              + "; classification needs at least 2 classes (or use --task regression)");
    }
    return LabelSpec.classification(names.get(0), classes);
  }

  private static DatasetSchema idx(Path dir) throws IOException {
    IdxFolder files = IdxFolder.find(dir);
    IdxArray images = IdxReader.read(files.images());
    IdxArray labels = IdxReader.read(files.labels());
    int max = 0;
    for (byte b : labels.data()) {
      max = Math.max(max, b & 0xff);
    }
    List<String> classes = new ArrayList<>();
    for (int k = 0; k <= Math.max(1, max); k++) {
      classes.add(Integer.toString(k));
    }
    if (images.dims().length != 3) {
      throw new DataFormatException(files.images() + ": images must be a rank-3 IDX array");
    }
    DatasetSchema schema =
        new DatasetSchema(
            DataFormat.IDX,
            null,
            LabelSpec.classification(null, classes),
            List.of(1, images.dims()[1], images.dims()[2]),
            null,
            null);
    IdxFolder.read(dir, schema);
    return schema;
  }

  private static DatasetSchema images(Path dir) throws IOException {
    List<String> classes = new ArrayList<>();
    // Image sizes as "height x width" -> count; TreeMap so that ties break the same way everywhere.
    Map<List<Integer>, Integer> sizes = new TreeMap<>(Comparator.comparing(List::toString));
    boolean allGray = true;
    int images = 0;
    for (Path classDir : ImageFolderReader.classFolders(dir)) {
      classes.add(classDir.getFileName().toString());
      for (Path file : ImageFolderReader.imageFiles(classDir)) {
        Image image = ImageFolderReader.decode(file);
        sizes.merge(List.of(image.getHeight(), image.getWidth()), 1, Integer::sum);
        BufferedImage b = (BufferedImage) image.getWrappedImage();
        allGray = allGray && b.getColorModel().getNumColorComponents() == 1;
        images++;
      }
    }
    if (classes.size() < 2) {
      throw new DataFormatException(
          dir + ": " + classes.size() + " class folder(s); classification needs at least 2");
    }
    if (images == 0) {
      throw new DataFormatException(
          dir + ": no images; put PNG or JPEG files in one sub-folder per class");
    }
    List<Integer> size =
        sizes.entrySet().stream()
            .max(Comparator.comparingInt(Map.Entry<List<Integer>, Integer>::getValue))
            .orElseThrow()
            .getKey();
    return new DatasetSchema(
        DataFormat.IMAGES,
        null,
        LabelSpec.classification(null, classes),
        List.of(allGray ? 1 : 3, size.get(0), size.get(1)),
        new ImageOptions(sizes.size() > 1),
        null);
  }
}
