package org.fedledger.consensus.raft;

import java.nio.ByteBuffer;
import org.apache.ratis.server.protocol.TermIndex;

/**
 * The Raft position stored by the application with each block: term and index, 8 bytes each,
 * big-endian. After a restart, log entries at or below the stored index are already in the state.
 */
public final class ConsensusMarker {
  public static final int LENGTH = 16;

  private ConsensusMarker() {}

  public static byte[] encode(long term, long index) {
    return ByteBuffer.allocate(LENGTH).putLong(term).putLong(index).array();
  }

  /** The position in a marker, or null for the empty marker of a fresh state. */
  public static TermIndex decode(byte[] marker) {
    if (marker == null || marker.length == 0) {
      return null;
    }
    if (marker.length != LENGTH) {
      throw new IllegalArgumentException(
          "a consensus marker is " + LENGTH + " bytes, got " + marker.length);
    }
    ByteBuffer b = ByteBuffer.wrap(marker);
    return TermIndex.valueOf(b.getLong(), b.getLong());
  }
}
