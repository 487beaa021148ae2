package org.fedledger.node.blob;

import java.time.Duration;

/**
 * How much a blob fetch may take from a peer: at most {@code maxBytes} bytes, all of them within
 * {@code deadline} of the request (headers and body together). A peer is named by a member, who may
 * be hostile: without both bounds it could stream for ever, trickle a byte a minute, or send more
 * than memory holds.
 *
 * @param maxBytes largest body accepted; a larger one is refused as soon as it is seen
 * @param deadline the whole fetch's time
 */
public record FetchLimits(long maxBytes, Duration deadline) {
  /**
   * For callers that know nothing of the blob: 1 GiB (a model of 250 M float32 parameters) in 5
   * minutes. Callers that know the model pass its size instead ({@link #forParameters}).
   */
  public static final FetchLimits DEFAULT = new FetchLimits(1L << 30, Duration.ofMinutes(5));

  /** Room for a safetensors header and metadata beyond the parameters themselves. */
  static final long HEADER_SLACK = 1L << 20;

  public FetchLimits {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be at least 1, got " + maxBytes);
    }
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("the deadline must be positive, got " + deadline);
    }
  }

  /** The limits for weights of a model with this many float32 parameters. */
  public static FetchLimits forParameters(long parameters) {
    return new FetchLimits(
        Math.addExact(Math.multiplyExact(parameters, 4L), HEADER_SLACK), DEFAULT.deadline());
  }

  public FetchLimits withDeadline(Duration newDeadline) {
    return new FetchLimits(maxBytes, newDeadline);
  }
}
