package org.fedledger.learning.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedledger.learning.tensor.NamedTensor;
import org.fedledger.learning.tensor.Weights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
  private static final Weights SMALL =
      new Weights(
          List.of(
              new NamedTensor(
                  "01Linear_weight", new long[] {2, 3}, new float[] {1, -2, 3.5f, 0, -0f, 6}),
              new NamedTensor(
                  "01Linear_bias", new long[] {2}, new float[] {Float.MIN_VALUE, 1e30f}),
              new NamedTensor("empty", new long[] {0, 4}, new float[0])));

  @Test
  void roundTripKeepsNamesShapesOrderAndBits() {
    byte[] bytes = Safetensors.write(SMALL, Map.of("format", "pt", "round", "3"));
    SafetensorsFile file = Safetensors.readFile(bytes);
    assertThat(file.weights()).isEqualTo(SMALL);
    assertThat(file.metadata())
        .containsExactlyInAnyOrderEntriesOf(Map.of("format", "pt", "round", "3"));
    assertThat(Safetensors.read(Safetensors.write(SMALL))).isEqualTo(SMALL);
  }

  @Test
  void layoutIsTheSafetensorsFormat() {
    byte[] bytes = Safetensors.write(SMALL);
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long n = in.getLong();
    assertThat(n % 8).isZero();
    String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
    assertThat(header.trim())
        .isEqualTo(
            "{\"01Linear_weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                + "\"01Linear_bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]},"
                + "\"empty\":{\"dtype\":\"F32\",\"shape\":[0,4],\"data_offsets\":[32,32]}}");
    assertThat(bytes.length).isEqualTo(8 + n + 32);
    // Little-endian IEEE floats right after the header.
    in.position(8 + (int) n + 8);
    assertThat(in.getFloat()).isEqualTo(3.5f);
  }

  @Test
  void writingIsCanonical() {
    assertThat(Safetensors.write(SMALL, Map.of("b", "2", "a", "1")))
        .isEqualTo(Safetensors.write(SMALL, Map.of("a", "1", "b", "2")));
    assertThat(WeightsHash.of(SMALL))
        .isEqualTo(WeightsHash.of(Safetensors.read(Safetensors.write(SMALL))));
  }

  @Test
  void hashChangesWithAnyBitNameOrOrder() {
    float[] v = SMALL.tensors().get(0).values().clone();
    v[5] = Math.nextUp(v[5]);
    Weights oneBit =
        new Weights(
            List.of(
                new NamedTensor("01Linear_weight", new long[] {2, 3}, v),
                SMALL.tensors().get(1),
                SMALL.tensors().get(2)));
    Weights reordered =
        new Weights(
            List.of(SMALL.tensors().get(1), SMALL.tensors().get(0), SMALL.tensors().get(2)));
    assertThat(WeightsHash.of(oneBit)).isNotEqualTo(WeightsHash.of(SMALL));
    assertThat(WeightsHash.of(reordered)).isNotEqualTo(WeightsHash.of(SMALL));
    assertThat(WeightsHash.of(SMALL).toHex()).hasSize(64);
  }

  @Test
  void writesAndReadsFiles(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("w.safetensors");
    Safetensors.write(SMALL, Map.of(), file);
    assertThat(Safetensors.read(file)).isEqualTo(SMALL);
  }

  @Test
  void readsTensorsInOffsetOrderWhateverTheHeaderOrder() {
    byte[] bytes =
        file(
            "{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
            8);
    assertThat(Safetensors.read(bytes).tensors())
        .extracting(NamedTensor::name)
        .containsExactly("a", "b");
  }

  @Test
  void rejectsMalformedFiles() {
    String ok = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
    assertThat(Safetensors.read(file(ok, 8)).parameterCount()).isEqualTo(2);

    assertRejected(new byte[5], "only 5 bytes");
    assertRejected(lengthOnly(Long.MAX_VALUE, 16), "exceeds the limit");
    assertRejected(lengthOnly(-1L, 16), "exceeds the limit");
    assertRejected(lengthOnly(1000, 16), "runs past the end");
    assertRejected(file("[1,2]", 0), "starting with '{'");
    assertRejected(file("{\"a\":", 0), "not valid JSON");
    assertRejected(file(ok.replace("F32", "F16"), 8), "only F32");
    assertRejected(file(ok.replace("[0,8]", "[0,12]"), 12), "by its data_offsets");
    assertRejected(file(ok.replace("[0,8]", "[8,0]"), 8), "begin must be non-negative");
    assertRejected(file(ok, 4), "truncated");
    assertRejected(file(ok, 12), "trailing bytes");
    assertRejected(file(ok.replace("\"shape\":[2],", ""), 8), "no shape");
    assertRejected(file(ok.replace("[2]", "[-2]"), 8), "negative");
    assertRejected(file(ok.replace("[2]", "[2.5]"), 8), "integers");
    assertRejected(
        file(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
            8),
        "overlap");
    assertRejected(
        file(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}",
            12),
        "gap");
    assertRejected(file(ok.substring(0, ok.length() - 1) + ",\"a\":{}}", 8), "not valid JSON");
    assertRejected(file("{\"__metadata__\":{\"k\":1}}", 0), "must be a string");
    byte[] badUtf8 = file("{\"xx\":1}", 0);
    badUtf8[10] = (byte) 0xff;
    assertRejected(badUtf8, "UTF-8");
  }

  private static void assertRejected(byte[] bytes, String message) {
    assertThatThrownBy(() -> Safetensors.read(bytes))
        .isInstanceOf(SafetensorsFormatException.class)
        .hasMessageContaining(message);
  }

  private static byte[] lengthOnly(long headerLength, int size) {
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(headerLength);
    return b.array();
  }

  private static byte[] file(String header, int dataBytes) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length);
    b.put(h);
    return b.array();
  }
}
