package org.fedledger.ledger.training;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import org.fedledger.core.address.Address;

/** How the training module writes addresses and hashes in events and refusals. */
final class TrainingHex {
  private TrainingHex() {}

  /** An address as {@link Address#toHex}; any other length as plain hex. */
  static String of(ByteString address) {
    return address.size() == Address.LENGTH
        ? Address.of(address).toHex()
        : HexFormat.of().formatHex(address.toByteArray());
  }

  /** Hex of a hash, or "" for an empty field (e.g. no server state). */
  static String orEmpty(ByteString hash) {
    return HexFormat.of().formatHex(hash.toByteArray());
  }
}
