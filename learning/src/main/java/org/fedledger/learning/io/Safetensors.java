package org.fedledger.learning.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedledger.learning.tensor.NamedTensor;
import org.fedledger.learning.tensor.Weights;

/**
 * Reads and writes {@link Weights} in the <a
 * href="https://github.com/huggingface/safetensors">safetensors</a> format, so that a PyTorch user
 * can open them with {@code safetensors.torch.load_file}. Layout: an 8-byte little-endian unsigned
 * header length N; N bytes of UTF-8 JSON mapping each tensor name to {@code {"dtype":"F32",
 * "shape":[...],"data_offsets":[begin,end]}} plus an optional {@code "__metadata__"} object of
 * strings; then the tensors' raw little-endian bytes, offsets relative to the end of the header.
 *
 * <p>Writing is canonical, so equal weights give equal bytes: tensors in the Weights' order, laid
 * out back to back in that order; header keys in that order with {@code __metadata__} (if any, keys
 * sorted) first; fields in the order dtype, shape, data_offsets; no whitespace; the header padded
 * with spaces to a multiple of 8 bytes, as the reference implementation does.
 *
 * <p>Reading accepts only F32 tensors and checks everything a hostile file could get wrong: the
 * header length against {@link #MAX_HEADER_BYTES} and the file size, JSON syntax and duplicate
 * keys, each entry's fields, that byte counts match shapes, and that the tensors cover the data
 * section exactly, without gaps or overlaps. Tensors are returned in order of their offsets.
 */
public final class Safetensors {
  /** Largest header accepted (the reference implementation's limit): 100 MB. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final String METADATA = "__metadata__";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private Safetensors() {}

  /** The canonical bytes of the weights, without metadata. */
  public static byte[] write(Weights weights) {
    return write(weights, Map.of());
  }

  /** The canonical bytes of the weights with string metadata (written with keys sorted). */
  public static byte[] write(Weights weights, Map<String, String> metadata) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode header = f.objectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject(METADATA);
      new TreeMap<>(metadata).forEach(meta::put);
    }
    long offset = 0;
    for (NamedTensor t : weights.tensors()) {
      if (t.name().equals(METADATA)) {
        throw new IllegalArgumentException("a tensor may not be called " + METADATA);
      }
      ObjectNode entry = header.putObject(t.name());
      entry.put("dtype", "F32");
      ArrayNode shape = entry.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      long end = offset + 4L * t.size();
      entry.putArray("data_offsets").add(offset).add(end);
      offset = end;
    }
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(header);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a header of strings and numbers always serialises", e);
    }
    int padded = (json.length + 7) / 8 * 8;
    long total = 8L + padded + offset;
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "weights of " + total + " bytes are too large for one array; split the model");
    }
    ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(padded);
    out.put(json);
    for (int i = json.length; i < padded; i++) {
      out.put((byte) ' ');
    }
    for (NamedTensor t : weights.tensors()) {
      out.asFloatBuffer().put(t.values());
      out.position(out.position() + 4 * t.size());
    }
    return out.array();
  }

  /** Writes the file through a temporary file and a rename, so readers never see half a file. */
  public static void write(Weights weights, Map<String, String> metadata, Path path)
      throws IOException {
    Path dir = path.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
    try {
      Files.write(tmp, write(weights, metadata));
      Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The weights in the bytes (metadata ignored). */
  public static Weights read(byte[] bytes) {
    return readFile(bytes).weights();
  }

  /** The weights in the file (metadata ignored). */
  public static Weights read(Path path) throws IOException {
    return read(Files.readAllBytes(path));
  }

  /** Tensors and metadata of the bytes, validated (see the class comment). */
  public static SafetensorsFile readFile(byte[] bytes) {
    if (bytes.length < 8) {
      throw new SafetensorsFormatException(
          "a safetensors file starts with an 8-byte header length, but it has only "
              + bytes.length
              + " bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength = in.getLong();
    if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
      throw new SafetensorsFormatException(
          "header length "
              + Long.toUnsignedString(headerLength)
              + " exceeds the limit of "
              + MAX_HEADER_BYTES
              + " bytes; the file is corrupt or not safetensors");
    }
    if (headerLength > bytes.length - 8) {
      throw new SafetensorsFormatException(
          "header length "
              + headerLength
              + " runs past the end of the "
              + bytes.length
              + "-byte file; the file is truncated or not safetensors");
    }
    int dataStart = 8 + (int) headerLength;
    ObjectNode header = parseHeader(bytes, (int) headerLength);
    Map<String, String> metadata = new TreeMap<>();
    List<Entry> entries = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = header.properties().iterator();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getKey().equals(METADATA)) {
        readMetadata(field.getValue(), metadata);
      } else {
        entries.add(entry(field.getKey(), field.getValue()));
      }
    }
    entries.sort(Comparator.comparingLong(Entry::begin));
    long dataLength = bytes.length - (long) dataStart;
    long expected = 0;
    for (Entry e : entries) {
      if (e.begin() != expected) {
        throw new SafetensorsFormatException(
            "tensor "
                + e.name()
                + " starts at data offset "
                + e.begin()
                + " but the previous tensor ends at "
                + expected
                + (e.begin() < expected ? ": tensors overlap" : ": there is a gap"));
      }
      if (e.end() > dataLength) {
        throw new SafetensorsFormatException(
            "tensor "
                + e.name()
                + " ends at data offset "
                + e.end()
                + " past the end of the data section ("
                + dataLength
                + " bytes); the file is truncated");
      }
      expected = e.end();
    }
    if (expected != dataLength) {
      throw new SafetensorsFormatException(
          "the tensors cover "
              + expected
              + " bytes but the data section has "
              + dataLength
              + "; the file has trailing bytes");
    }
    List<NamedTensor> tensors = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      float[] values = new float[(int) ((e.end() - e.begin()) / 4)];
      ByteBuffer slice =
          ByteBuffer.wrap(bytes, dataStart + (int) e.begin(), (int) (e.end() - e.begin()))
              .order(ByteOrder.LITTLE_ENDIAN);
      slice.asFloatBuffer().get(values);
      tensors.add(new NamedTensor(e.name(), e.shape(), values));
    }
    return new SafetensorsFile(new Weights(tensors), metadata);
  }

  /** Tensors and metadata of the file, validated. */
  public static SafetensorsFile readFile(Path path) throws IOException {
    return readFile(Files.readAllBytes(path));
  }

  private static ObjectNode parseHeader(byte[] bytes, int length) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes, 8, length))
              .toString();
    } catch (CharacterCodingException e) {
      throw new SafetensorsFormatException("the header is not valid UTF-8", e);
    }
    if (!text.startsWith("{")) {
      throw new SafetensorsFormatException("the header must be a JSON object starting with '{'");
    }
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new SafetensorsFormatException(
          "the header is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (!(node instanceof ObjectNode object)) {
      throw new SafetensorsFormatException("the header must be a JSON object");
    }
    return object;
  }

  private static void readMetadata(JsonNode node, Map<String, String> out) {
    if (!node.isObject()) {
      throw new SafetensorsFormatException(METADATA + " must be an object of strings");
    }
    Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> m = it.next();
      if (!m.getValue().isTextual()) {
        throw new SafetensorsFormatException(
            METADATA + " value for '" + m.getKey() + "' must be a string");
      }
      out.put(m.getKey(), m.getValue().textValue());
    }
  }

  private record Entry(String name, long[] shape, long begin, long end) {}

  private static Entry entry(String name, JsonNode node) {
    if (!node.isObject()) {
      throw new SafetensorsFormatException("entry for tensor " + name + " must be an object");
    }
    JsonNode dtype = node.get("dtype");
    if (dtype == null || !dtype.isTextual()) {
      throw new SafetensorsFormatException("tensor " + name + " has no dtype");
    }
    if (!dtype.textValue().equals("F32")) {
      throw new SafetensorsFormatException(
          "tensor "
              + name
              + " has dtype "
              + dtype.textValue()
              + "; only F32 is supported (convert with tensor.float() before saving)");
    }
    long[] shape = longs(name, node.get("shape"), "shape", -1);
    long[] offsets = longs(name, node.get("data_offsets"), "data_offsets", 2);
    long count = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new SafetensorsFormatException("tensor " + name + " has a negative dimension");
      }
      try {
        count = Math.multiplyExact(count, d);
      } catch (ArithmeticException e) {
        throw new SafetensorsFormatException("tensor " + name + " has an absurd shape", e);
      }
    }
    if (offsets[0] < 0 || offsets[1] < offsets[0]) {
      throw new SafetensorsFormatException(
          "tensor "
              + name
              + " has data_offsets ["
              + offsets[0]
              + ", "
              + offsets[1]
              + "]: begin must be non-negative and at most end");
    }
    if (count > Integer.MAX_VALUE / 4 || offsets[1] - offsets[0] != 4 * count) {
      throw new SafetensorsFormatException(
          "tensor "
              + name
              + " has "
              + count
              + " F32 values ("
              + 4 * count
              + " bytes) by its shape but "
              + (offsets[1] - offsets[0])
              + " bytes by its data_offsets");
    }
    return new Entry(name, shape, offsets[0], offsets[1]);
  }

  private static long[] longs(String name, JsonNode node, String field, int length) {
    if (node == null || !node.isArray()) {
      throw new SafetensorsFormatException("tensor " + name + " has no " + field + " array");
    }
    if (length >= 0 && node.size() != length) {
      throw new SafetensorsFormatException(
          "tensor " + name + ": " + field + " must have " + length + " numbers");
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = node.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToLong()) {
        throw new SafetensorsFormatException(
            "tensor " + name + ": " + field + " must hold integers, got " + v);
      }
      out[i] = v.longValue();
    }
    return out;
  }
}
