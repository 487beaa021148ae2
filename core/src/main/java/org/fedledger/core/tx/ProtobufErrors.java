package org.fedledger.core.tx;

import com.google.protobuf.InvalidProtocolBufferException;

/**
 * What a refusal says when bytes do not parse as the protobuf message they claim to be.
 *
 * <p>The library's own exception text is not used: refusals of transactions inside a block end up
 * in receipts, which feed the receipts root and so the block hash, and protobuf's wording may
 * change between its versions. Two validators running different protobuf releases during a rolling
 * upgrade would then disagree on a block. The text here is fixed, and the library's detail is left
 * to the caller's logs.
 */
public final class ProtobufErrors {
  /** The fixed description of any protobuf decoding failure. */
  public static final String NOT_PROTOBUF =
      "the bytes are not its protobuf encoding (truncated, a bad tag or wire type, or a string"
          + " that is not UTF-8)";

  private ProtobufErrors() {}

  /** The fixed description; the exception is taken so callers cannot forget where it belongs. */
  public static String describe(InvalidProtocolBufferException e) {
    return NOT_PROTOBUF;
  }
}
