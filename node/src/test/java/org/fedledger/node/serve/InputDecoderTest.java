package org.fedledger.node.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.schema.DataFormat;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.schema.ImageOptions;
import org.fedledger.learning.data.schema.LabelSpec;
import org.junit.jupiter.api.Test;

/**
 * Predict rows of an image model: base64 PNG or JPEG images are decoded as the owners' image
 * folders are, fitted to the schema's shape (resized only where the schema allows it), and a
 * corrupt image or one of the wrong size is refused with the reason, naming the row. Raw rows come
 * as arrays of numbers or in compact form (base64 of little-endian float32), refused likewise.
 */
class InputDecoderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final InputDecoder FASHION =
      new InputDecoder(28 * 28, Datasets.FASHION_MNIST_SCHEMA);
  private static final DatasetSchema RGB_RESIZED =
      new DatasetSchema(
          DataFormat.IMAGES,
          null,
          LabelSpec.classification(null, List.of("cat", "dog")),
          List.of(3, 8, 8),
          new ImageOptions(true),
          null);

  /** A grayscale image whose pixel (x, y) is (x + y) mod 256. */
  private static byte[] gray(int width, int height, String format) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.getRaster().setSample(x, y, 0, (x + y) % 256);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(image, format, out)).isTrue();
    return out.toByteArray();
  }

  private static JsonNode rows(byte[]... images) {
    var rows = JSON.createArrayNode();
    for (byte[] image : images) {
      rows.addObject().put("image", Base64.getEncoder().encodeToString(image));
    }
    return rows;
  }

  @Test
  void aPngOfTheSchemasSizeGivesItsPixelsScaledToOne() throws Exception {
    float[] x = FASHION.decode(rows(gray(28, 28, "png"), gray(28, 28, "png")));
    assertThat(FASHION.images()).isTrue();
    assertThat(x).hasSize(2 * 28 * 28);
    for (int y = 0; y < 28; y++) {
      for (int col = 0; col < 28; col++) {
        assertThat(x[y * 28 + col]).isEqualTo((col + y) / 255f);
        assertThat(x[28 * 28 + y * 28 + col]).isEqualTo((col + y) / 255f);
      }
    }
  }

  @Test
  void aJpegIsDecodedToo() throws Exception {
    float[] x = FASHION.decode(rows(gray(28, 28, "jpg")));
    // JPEG is lossy: close to the drawn gradient, not equal to it.
    assertThat(x[27 * 28 + 27]).isBetween(50 / 255f, 58 / 255f);
  }

  @Test
  void anImageOfAnotherSizeIsRefusedWhereTheSchemaRefusesResizing() throws Exception {
    assertThatThrownBy(() -> FASHION.decode(rows(gray(28, 28, "png"), gray(32, 32, "png"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 1's image")
        .hasMessageContaining("32x32")
        .hasMessageContaining("28x28")
        .hasMessageContaining("send a 28x28 image");
  }

  @Test
  void anImageOfAnotherSizeIsResizedWhereTheSchemaAllowsIt() throws Exception {
    InputDecoder rgb = new InputDecoder(3 * 8 * 8, RGB_RESIZED);
    float[] x = rgb.decode(rows(gray(20, 12, "png")));
    assertThat(x).hasSize(3 * 8 * 8);
    // A grayscale image is repeated in each of the three channels.
    for (int i = 0; i < 64; i++) {
      assertThat(x[64 + i]).isEqualTo(x[i]);
      assertThat(x[128 + i]).isEqualTo(x[i]);
    }
    assertThat(x[63]).isGreaterThan(x[0]);
  }

  @Test
  void aCorruptImageIsRefusedWithTheRow() throws Exception {
    byte[] png = gray(28, 28, "png");
    byte[] truncated = java.util.Arrays.copyOf(png, 20);
    assertThatThrownBy(() -> FASHION.decode(rows(png, truncated)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 1's image is not a readable PNG or JPEG");
    assertThatThrownBy(
            () ->
                FASHION.decode(
                    rows("not an image at all".getBytes(java.nio.charset.StandardCharsets.UTF_8))))
        .hasMessageContaining("row 0's image is not a readable PNG or JPEG");
  }

  @Test
  void anImageThatIsNotBase64IsRefused() {
    var rows = JSON.createArrayNode();
    rows.addObject().put("image", "%%% not base64");
    assertThatThrownBy(() -> FASHION.decode(rows))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 0's image is not base64");
  }

  @Test
  void aTableModelTakesNoImages() throws Exception {
    InputDecoder raw = new InputDecoder(4, null);
    assertThat(raw.images()).isFalse();
    assertThatThrownBy(() -> raw.decode(rows(gray(2, 2, "png"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be an array of 4 numbers")
        .hasMessageNotContaining("image");
  }

  @Test
  void rawArraysStillServeAnImageModel() throws Exception {
    var row = JSON.createArrayNode();
    for (int i = 0; i < 28 * 28; i++) {
      row.add(0.5);
    }
    var rows = JSON.createArrayNode().add(row);
    assertThat(FASHION.decode(rows)).containsOnly(0.5f);
  }

  /** Base64 of values as little-endian float32, as numpy's x.astype('<f4').tobytes() writes. */
  private static String compact(float... values) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      bytes.putFloat(v);
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  @Test
  void aCompactRowReadsAsTheSameValuesAsItsArray() {
    InputDecoder raw = new InputDecoder(3, null);
    var rows =
        JSON.createArrayNode()
            .add(compact(1.5f, -2.25f, 1e-7f))
            .add(JSON.createArrayNode().add(0.5).add(0).add(3));
    assertThat(raw.decode(rows)).containsExactly(1.5f, -2.25f, 1e-7f, 0.5f, 0f, 3f);
  }

  @Test
  void aCompactRowIsLittleEndian() {
    // 1.0f is 0x3f800000: little-endian bytes 00 00 80 3f. Read big-endian they would be 4.6e-41.
    var rows =
        JSON.createArrayNode().add(Base64.getEncoder().encodeToString(new byte[] {0, 0, -128, 63}));
    assertThat(new InputDecoder(1, null).decode(rows)).containsExactly(1f);
  }

  @Test
  void aCompactRowOfAnotherLengthIsRefusedWithTheSizeExpected() {
    var rows = JSON.createArrayNode().add(compact(1f, 2f, 3f)).add(compact(1f, 2f));
    assertThatThrownBy(() -> new InputDecoder(3, null).decode(rows))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 1 holds 8 bytes")
        .hasMessageContaining("3 float32 values, 12 bytes");
  }

  @Test
  void aCompactRowThatIsNotBase64IsRefused() {
    var rows = JSON.createArrayNode().add("%%% not base64");
    assertThatThrownBy(() -> new InputDecoder(3, null).decode(rows))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 0 is a string but not base64 of float32 values");
  }

  @Test
  void aCompactRowWithANonFiniteValueIsRefused() {
    var rows = JSON.createArrayNode().add(compact(1f, Float.NaN, 3f));
    assertThatThrownBy(() -> new InputDecoder(3, null).decode(rows))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 0, value 1 is NaN, not a finite number");
  }

  @Test
  void aTableModelTakesNoCompactRows() {
    DatasetSchema table =
        new DatasetSchema(
            DataFormat.CSV,
            List.of(org.fedledger.learning.data.schema.FeatureSpec.numeric("x")),
            LabelSpec.classification("y", List.of("a", "b")),
            List.of(1),
            null,
            null);
    var rows = JSON.createArrayNode().add(compact(1f));
    assertThatThrownBy(() -> new InputDecoder(1, table).decode(rows))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be an object of the features [x]");
  }
}
