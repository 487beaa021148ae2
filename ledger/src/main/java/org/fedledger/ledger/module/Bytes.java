package org.fedledger.ledger.module;

import java.nio.charset.StandardCharsets;

/** Fixed-width big-endian encodings used in state keys and values. */
public final class Bytes {
  private Bytes() {}

  public static byte[] ofLong(long v) {
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return b;
  }

  /** Decodes 8 big-endian bytes; null (absent) is 0. */
  public static long toLong(byte[] b) {
    if (b == null) {
      return 0;
    }
    if (b.length != 8) {
      throw new IllegalStateException("expected an 8-byte number in state, got " + b.length);
    }
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[i] & 0xff);
    }
    return v;
  }

  public static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, off, p.length);
      off += p.length;
    }
    return out;
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
