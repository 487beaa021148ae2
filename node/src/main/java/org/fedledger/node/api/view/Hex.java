package org.fedledger.node.api.view;

import com.google.protobuf.ByteString;
import java.util.HexFormat;

/** Lowercase hex for bytes in JSON. */
final class Hex {
  private Hex() {}

  static String of(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  static String of(byte[] bytes) {
    return bytes == null ? null : HexFormat.of().formatHex(bytes);
  }
}
