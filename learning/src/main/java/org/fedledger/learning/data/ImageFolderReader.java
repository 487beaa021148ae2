package org.fedledger.learning.data;

import ai.djl.modality.cv.BufferedImageFactory;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.fedledger.learning.data.schema.DataFormat;
import org.fedledger.learning.data.schema.DatasetSchema;

/**
 * Reads a directory of images under a {@link DatasetSchema}: one sub-directory per class, named as
 * the schema's class, holding PNG or JPEG files. Images are decoded with DJL's {@link
 * BufferedImageFactory} (always this one, not whatever {@link ImageFactory#getInstance()} is set
 * to, so that every owner decodes the same pixels), fitted to the schema's {@code [channels,
 * height, width]} and scaled to [0,1] in channel-major order, like IDX images.
 *
 * <p>Channels: 1 gives grayscale (a colour image becomes 0.299 R + 0.587 G + 0.114 B), 3 gives RGB
 * (a grayscale image is repeated in each); alpha is dropped. Size: an image of another size is
 * resized by DJL when the schema allows it and refused otherwise. Samples come class by class in
 * folder-name order, file-name order within a class, so the same folder reads the same on every
 * machine. Hidden files (a leading dot) are skipped; any other file that is not a readable PNG or
 * JPEG, a file beside the class folders, or a folder that is not a class of the schema is refused
 * with its path and what to do.
 */
public final class ImageFolderReader {
  private static final ImageFactory FACTORY = new BufferedImageFactory();

  private ImageFolderReader() {}

  /** Reads every image under dir as a labelled sample of the schema's shape. */
  public static LabeledData read(Path dir, DatasetSchema schema) throws IOException {
    if (schema.format() != DataFormat.IMAGES) {
      throw new IllegalArgumentException(
          "a " + schema.format().jsonName() + " schema cannot read the image folder " + dir);
    }
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    List<String> classes = schema.label().classes();
    for (Path classDir : classFolders(dir)) {
      String name = classDir.getFileName().toString();
      int label = classes.indexOf(name);
      if (label < 0) {
        throw new DataFormatException(
            classDir
                + ": folder '"
                + name
                + "' is not one of the schema's classes "
                + classes
                + "; rename or remove the folder, or add the class to the schema (every owner then"
                + " needs the new schema)");
      }
      for (Path file : imageFiles(classDir)) {
        files.add(file);
        labels.add(label);
      }
    }
    if (files.isEmpty()) {
      throw new DataFormatException(
          dir + ": no images; put PNG or JPEG files in one sub-folder per class");
    }
    int[] shape = schema.sampleShape();
    int length = shape[0] * shape[1] * shape[2];
    float[] x = new float[Math.multiplyExact(files.size(), length)];
    int[] y = new int[files.size()];
    for (int i = 0; i < files.size(); i++) {
      Image image =
          fit(
              decode(files.get(i)),
              files.get(i).toString(),
              schema,
              "resize the file, or set \"images\":{\"resize\":true}");
      pixels((BufferedImage) image.getWrappedImage(), shape[0], x, i * length);
      y[i] = labels.get(i);
    }
    return LabeledData.of(x, shape, y, classes.size());
  }

  /** The class sub-folders of dir in name order; refuses files beside them. */
  public static List<Path> classFolders(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new DataFormatException(
          dir + ": not a directory; an image dataset is a folder with one sub-folder per class");
    }
    List<Path> folders = new ArrayList<>();
    for (Path p : sortedChildren(dir)) {
      if (Files.isDirectory(p)) {
        folders.add(p);
      } else {
        throw new DataFormatException(
            p
                + ": a file beside the class folders; move it into its class's sub-folder or"
                + " remove it");
      }
    }
    return folders;
  }

  /** The PNG and JPEG files of a class folder in name order; refuses anything else. */
  public static List<Path> imageFiles(Path classDir) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path p : sortedChildren(classDir)) {
      String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
      if (Files.isRegularFile(p)
          && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"))) {
        files.add(p);
      } else {
        throw new DataFormatException(
            p + ": not a .png, .jpg or .jpeg file; a class folder holds only images");
      }
    }
    return files;
  }

  private static List<Path> sortedChildren(Path dir) throws IOException {
    try (Stream<Path> children = Files.list(dir)) {
      return children.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    }
  }

  /** Decodes one image with DJL, turning every failure into a refusal that names the file. */
  public static Image decode(Path file) throws DataFormatException {
    try {
      return FACTORY.fromFile(file);
    } catch (IOException | RuntimeException e) {
      throw new DataFormatException(
          file
              + ": not a readable PNG or JPEG ("
              + e.getMessage()
              + "); replace or remove the file",
          e);
    }
  }

  /**
   * Decodes one encoded PNG or JPEG (such as a predict request's base64 image) as {@link #read}
   * reads a file: fitted to the schema's {@code [channels, height, width]} (resized only if the
   * schema allows it; an IDX schema never does) and written to dst at offset, scaled to [0,1] in
   * channel-major order.
   *
   * @param source names the image in a refusal, e.g. "row 2's image"
   * @throws DataFormatException if the bytes are not a PNG or JPEG, or the size does not fit
   */
  public static void readImage(
      byte[] encoded, String source, DatasetSchema schema, float[] dst, int offset)
      throws DataFormatException {
    if (schema.format() == DataFormat.CSV) {
      throw new IllegalArgumentException("a csv schema takes features, not images");
    }
    Image image;
    try {
      image = FACTORY.fromInputStream(new java.io.ByteArrayInputStream(encoded));
    } catch (IOException | RuntimeException e) {
      throw new DataFormatException(source + " is not a readable PNG or JPEG (" + e + ")", e);
    }
    if (image == null || image.getWidth() < 1 || image.getHeight() < 1) {
      throw new DataFormatException(source + " is not a readable PNG or JPEG");
    }
    int[] shape = schema.sampleShape();
    Image fitted =
        fit(image, source, schema, "send a " + shape[2] + "x" + shape[1] + " image instead");
    pixels((BufferedImage) fitted.getWrappedImage(), shape[0], dst, offset);
  }

  private static Image fit(Image image, String source, DatasetSchema schema, String remedy)
      throws DataFormatException {
    int height = schema.inputShape().get(1);
    int width = schema.inputShape().get(2);
    if (image.getWidth() == width && image.getHeight() == height) {
      return image;
    }
    if (schema.images() == null || !schema.images().resize()) {
      throw new DataFormatException(
          source
              + ": image is "
              + image.getWidth()
              + "x"
              + image.getHeight()
              + " (width x height) but the schema's shape needs "
              + width
              + "x"
              + height
              + " and refuses resizing; "
              + remedy);
    }
    return image.resize(width, height, true);
  }

  /** Writes an image's pixels, channel-major and scaled to [0,1], into dst at offset. */
  static void pixels(BufferedImage image, int channels, float[] dst, int offset) {
    int w = image.getWidth();
    int h = image.getHeight();
    int plane = w * h;
    Raster raster = image.getRaster();
    // Grayscale rasters are read directly: getRGB would pass them through a colour conversion
    // that changes their values.
    boolean gray = raster.getNumBands() == 1 && image.getColorModel().getNumColorComponents() == 1;
    float max = gray ? (1 << raster.getSampleModel().getSampleSize(0)) - 1 : 255f;
    for (int yy = 0; yy < h; yy++) {
      for (int xx = 0; xx < w; xx++) {
        int at = offset + yy * w + xx;
        if (gray) {
          float v = raster.getSample(xx, yy, 0) / max;
          for (int c = 0; c < channels; c++) {
            dst[at + c * plane] = v;
          }
        } else {
          int rgb = image.getRGB(xx, yy);
          float r = ((rgb >> 16) & 0xff) / max;
          float g = ((rgb >> 8) & 0xff) / max;
          float b = (rgb & 0xff) / max;
          if (channels == 1) {
            dst[at] = 0.299f * r + 0.587f * g + 0.114f * b;
          } else {
            dst[at] = r;
            dst[at + plane] = g;
            dst[at + 2 * plane] = b;
          }
        }
      }
    }
  }
}
