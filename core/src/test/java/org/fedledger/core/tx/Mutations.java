package org.fedledger.core.tx;

import java.util.Arrays;
import java.util.Random;

/** Byte-level mutations of the kind a fuzzer makes, from a seeded Random so failures replay. */
public final class Mutations {
  private Mutations() {}

  /** One to four random edits of input: flip, set, insert, delete, truncate, duplicate. */
  public static byte[] mutate(byte[] input, Random random) {
    byte[] out = input.clone();
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits; e++) {
      if (out.length == 0) {
        out = new byte[] {(byte) random.nextInt(256)};
        continue;
      }
      int at = random.nextInt(out.length);
      switch (random.nextInt(6)) {
        case 0 -> out[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> out[at] = (byte) interesting(random);
        case 2 -> {
          int n = 1 + random.nextInt(8);
          byte[] grown = new byte[out.length + n];
          System.arraycopy(out, 0, grown, 0, at);
          for (int i = 0; i < n; i++) {
            grown[at + i] = (byte) random.nextInt(256);
          }
          System.arraycopy(out, at, grown, at + n, out.length - at);
          out = grown;
        }
        case 3 -> {
          int n = Math.min(1 + random.nextInt(8), out.length - at);
          byte[] shrunk = new byte[out.length - n];
          System.arraycopy(out, 0, shrunk, 0, at);
          System.arraycopy(out, at + n, shrunk, at, out.length - at - n);
          out = shrunk;
        }
        case 4 -> out = Arrays.copyOf(out, at);
        default -> {
          int n = Math.min(1 + random.nextInt(16), out.length - at);
          byte[] grown = Arrays.copyOf(out, out.length + n);
          System.arraycopy(out, at, grown, out.length, n);
          out = grown;
        }
      }
    }
    return out;
  }

  /** Bytes that tend to matter in protobuf: varint continuations, wire types, lengths. */
  private static int interesting(Random random) {
    int[] values = {0x00, 0x01, 0x7f, 0x80, 0xff, 0x08, 0x0a, 0x12, 0x1a, 0x20, 0x40};
    return values[random.nextInt(values.length)];
  }
}
