package org.fedledger.learning.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.fedledger.learning.data.schema.DataFormat;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.schema.ImageOptions;
import org.fedledger.learning.data.schema.LabelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {
  @TempDir Path dir;

  static DatasetSchema schema(int channels, int h, int w, boolean resize) {
    return new DatasetSchema(
        DataFormat.IMAGES,
        List.of(),
        LabelSpec.classification(null, List.of("cat", "dog")),
        List.of(channels, h, w),
        new ImageOptions(resize),
        null);
  }

  /** Writes a w x h image filled with one RGB colour. */
  static void image(Path file, int w, int h, int rgb, String format) throws IOException {
    Files.createDirectories(file.getParent());
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, rgb);
      }
    }
    assertThat(ImageIO.write(img, format, file.toFile())).isTrue();
  }

  static void grayImage(Path file, int w, int h, int value) throws IOException {
    Files.createDirectories(file.getParent());
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.getRaster().setSample(x, y, 0, value);
      }
    }
    assertThat(ImageIO.write(img, "png", file.toFile())).isTrue();
  }

  @Test
  void readsOneSubFolderPerClassInNameOrderAsChannelMajorPixels() throws IOException {
    image(dir.resolve("dog/b.png"), 2, 2, 0x0000ff, "png");
    image(dir.resolve("dog/a.png"), 2, 2, 0xff0000, "png");
    image(dir.resolve("cat/x.png"), 2, 2, 0x00ff00, "png");
    Files.writeString(dir.resolve("dog/.DS_Store"), "hidden files are skipped");
    LabeledData data = ImageFolderReader.read(dir, schema(3, 2, 2, false));
    assertThat(data.size()).isEqualTo(3);
    assertThat(data.labels()).containsExactly(0, 1, 1);
    assertThat(data.sampleShape()).containsExactly(3, 2, 2);
    assertThat(data.features(0)).containsExactly(0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0);
    assertThat(data.features(1)).containsExactly(1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
    assertThat(data.features(2)).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1);
  }

  @Test
  void convertsChannelsGrayToRgbAndColourToGray() throws IOException {
    grayImage(dir.resolve("cat/g.png"), 1, 1, 51);
    image(dir.resolve("dog/c.png"), 1, 1, 0xff0000, "png");
    LabeledData rgb = ImageFolderReader.read(dir, schema(3, 1, 1, false));
    assertThat(rgb.features(0)).containsExactly(0.2f, 0.2f, 0.2f);
    LabeledData gray = ImageFolderReader.read(dir, schema(1, 1, 1, false));
    assertThat(gray.features(0)).containsExactly(0.2f);
    assertThat(gray.features(1)[0]).isCloseTo(0.299f, org.assertj.core.data.Offset.offset(1e-6f));
  }

  @Test
  void resizesJpegsWhenTheSchemaAllows() throws IOException {
    image(dir.resolve("cat/big.jpg"), 8, 6, 0xffffff, "jpg");
    LabeledData data = ImageFolderReader.read(dir, schema(1, 3, 4, true));
    assertThat(data.sampleShape()).containsExactly(1, 3, 4);
    for (float v : data.features(0)) {
      assertThat(v).isGreaterThan(0.9f);
    }
  }

  @Test
  void refusesAWrongSizeWhenResizingIsRefused() throws IOException {
    image(dir.resolve("cat/ok.png"), 4, 3, 0, "png");
    image(dir.resolve("dog/big.png"), 8, 6, 0, "png");
    assertThatThrownBy(() -> ImageFolderReader.read(dir, schema(1, 3, 4, false)))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContainingAll("big.png", "8x6", "needs 4x3", "\"resize\":true");
  }

  @Test
  void refusesACorruptImageNamingTheFile() throws IOException {
    image(dir.resolve("cat/ok.png"), 1, 1, 0, "png");
    Files.createDirectories(dir.resolve("dog"));
    Files.write(dir.resolve("dog/broken.png"), new byte[] {1, 2, 3, 4, 5});
    assertThatThrownBy(() -> ImageFolderReader.read(dir, schema(1, 1, 1, false)))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContainingAll("broken.png", "not a readable PNG or JPEG");
  }

  @Test
  void refusesAFolderOutsideTheSchemasClasses() throws IOException {
    image(dir.resolve("horse/h.png"), 1, 1, 0, "png");
    assertThatThrownBy(() -> ImageFolderReader.read(dir, schema(1, 1, 1, false)))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContainingAll("horse", "not one of the schema's classes [cat, dog]");
  }

  @Test
  void refusesStrayFilesAndEmptyFolders() throws IOException {
    Files.createDirectories(dir.resolve("cat"));
    assertThatThrownBy(() -> ImageFolderReader.read(dir, schema(1, 1, 1, false)))
        .hasMessageContaining("no images");
    Files.writeString(dir.resolve("cat/notes.txt"), "x");
    assertThatThrownBy(() -> ImageFolderReader.read(dir, schema(1, 1, 1, false)))
        .hasMessageContainingAll("notes.txt", "only images");
    Files.delete(dir.resolve("cat/notes.txt"));
    Files.writeString(dir.resolve("labels.csv"), "x");
    assertThatThrownBy(() -> ImageFolderReader.read(dir, schema(1, 1, 1, false)))
        .hasMessageContainingAll("labels.csv", "beside the class folders");
  }
}
