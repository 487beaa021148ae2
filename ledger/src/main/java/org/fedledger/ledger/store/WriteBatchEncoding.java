package org.fedledger.ledger.store;

import java.util.function.ToIntFunction;

/**
 * Encodes a {@link WriteSet} as RocksDB's serialized WriteBatch: a 12-byte header (sequence number,
 * 8 bytes, and operation count, 4 bytes, both little-endian; the sequence is assigned at write)
 * followed by one record per operation: a type byte, the column family id as a varint32 (absent for
 * the default family), the key and, for a put, the value, each as a varint32 length and the bytes.
 */
final class WriteBatchEncoding {
  private static final int HEADER = 12;
  private static final byte PUT_DEFAULT = 0x1;
  private static final byte DELETE_DEFAULT = 0x0;
  private static final byte PUT_IN_FAMILY = 0x5;
  private static final byte DELETE_IN_FAMILY = 0x4;

  private WriteBatchEncoding() {}

  static byte[] encode(WriteSet batch, ToIntFunction<Column> familyId) {
    int size = HEADER;
    for (WriteSet.Op op : batch.ops()) {
      int id = familyId.applyAsInt(op.column());
      size += 1 + (id == 0 ? 0 : varintSize(id)) + varintSize(op.key().length) + op.key().length;
      if (op.value() != null) {
        size += varintSize(op.value().length) + op.value().length;
      }
    }
    byte[] out = new byte[size];
    int count = batch.size();
    out[8] = (byte) count;
    out[9] = (byte) (count >>> 8);
    out[10] = (byte) (count >>> 16);
    out[11] = (byte) (count >>> 24);
    int at = HEADER;
    for (WriteSet.Op op : batch.ops()) {
      int id = familyId.applyAsInt(op.column());
      boolean put = op.value() != null;
      if (id == 0) {
        out[at++] = put ? PUT_DEFAULT : DELETE_DEFAULT;
      } else {
        out[at++] = put ? PUT_IN_FAMILY : DELETE_IN_FAMILY;
        at = putVarint(out, at, id);
      }
      at = putBytes(out, at, op.key());
      if (put) {
        at = putBytes(out, at, op.value());
      }
    }
    return out;
  }

  private static int putBytes(byte[] out, int at, byte[] bytes) {
    at = putVarint(out, at, bytes.length);
    System.arraycopy(bytes, 0, out, at, bytes.length);
    return at + bytes.length;
  }

  private static int putVarint(byte[] out, int at, int value) {
    while ((value & ~0x7f) != 0) {
      out[at++] = (byte) ((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out[at++] = (byte) value;
    return at;
  }

  private static int varintSize(int value) {
    int n = 1;
    while ((value & ~0x7f) != 0) {
      n++;
      value >>>= 7;
    }
    return n;
  }
}
