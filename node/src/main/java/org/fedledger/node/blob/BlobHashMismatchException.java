package org.fedledger.node.blob;

import org.fedledger.core.hash.Hash;

/** Bytes that arrived for a hash did not hash to it; they were deleted, never stored. */
public final class BlobHashMismatchException extends BlobException {
  private final Hash expected;
  private final Hash actual;

  public BlobHashMismatchException(Hash expected, Hash actual, String source) {
    super(
        "blob from "
            + source
            + " hashes to "
            + actual.toHex()
            + ", not the expected "
            + expected.toHex()
            + "; it was discarded (the source serves corrupt or substituted data)");
    this.expected = expected;
    this.actual = actual;
  }

  public Hash expected() {
    return expected;
  }

  public Hash actual() {
    return actual;
  }
}
