package org.fedledger.learning.aggregate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.fedledger.learning.tensor.NamedTensor;
import org.fedledger.learning.tensor.Weights;

/**
 * Explicit server-side optimizer state carried from one round to the next (e.g. the momentum buffer
 * of FedAvgM, the moments of FedAdam), so that aggregation stays a pure function and a verifier can
 * re-run any round from its recorded input state. Buffers are kept sorted by name, and {@link
 * #encode()} is canonical: equal states encode to equal bytes.
 *
 * @param step number of server optimizer steps taken so far
 * @param buffers named buffers, each shaped like the model
 */
public record ServerState(long step, SortedMap<String, Weights> buffers) {
  /** The state before the first round. */
  public static final ServerState EMPTY = new ServerState(0, new TreeMap<>());

  private static final int MAGIC = 0x464c5353; // "FLSS"
  private static final int VERSION = 1;

  public ServerState {
    if (step < 0) {
      throw new IllegalArgumentException("server step must be >= 0, got " + step);
    }
    buffers = Collections.unmodifiableSortedMap(new TreeMap<>(buffers));
  }

  /** The named buffer, or null if absent (e.g. in the first round). */
  public Weights buffer(String name) {
    return buffers.get(name);
  }

  /** Canonical binary form: big-endian, buffers in name order, floats as raw IEEE bits. */
  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeLong(step);
      out.writeInt(buffers.size());
      for (Map.Entry<String, Weights> e : buffers.entrySet()) {
        out.writeUTF(e.getKey());
        List<NamedTensor> tensors = e.getValue().tensors();
        out.writeInt(tensors.size());
        for (NamedTensor t : tensors) {
          out.writeUTF(t.name());
          out.writeInt(t.shape().length);
          for (long d : t.shape()) {
            out.writeLong(d);
          }
          float[] v = t.values();
          out.writeInt(v.length);
          for (float x : v) {
            out.writeInt(Float.floatToRawIntBits(x));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Reads what {@link #encode()} wrote. */
  public static ServerState decode(byte[] encoded) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
      if (in.readInt() != MAGIC) {
        throw new IllegalArgumentException("not an encoded server state (bad magic)");
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IllegalArgumentException(
            "server state version " + version + " is not supported; expected " + VERSION);
      }
      long step = in.readLong();
      int count = in.readInt();
      SortedMap<String, Weights> buffers = new TreeMap<>();
      for (int b = 0; b < count; b++) {
        String name = in.readUTF();
        int tensorCount = in.readInt();
        List<NamedTensor> tensors = new ArrayList<>(tensorCount);
        for (int i = 0; i < tensorCount; i++) {
          String tensorName = in.readUTF();
          long[] shape = new long[in.readInt()];
          for (int d = 0; d < shape.length; d++) {
            shape[d] = in.readLong();
          }
          float[] values = new float[in.readInt()];
          for (int k = 0; k < values.length; k++) {
            values[k] = Float.intBitsToFloat(in.readInt());
          }
          tensors.add(new NamedTensor(tensorName, shape, values));
        }
        buffers.put(name, new Weights(tensors));
      }
      if (in.available() > 0) {
        throw new IllegalArgumentException("trailing bytes after encoded server state");
      }
      return new ServerState(step, buffers);
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated or corrupt server state: " + e, e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServerState s && java.util.Arrays.equals(encode(), s.encode());
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(encode());
  }
}
