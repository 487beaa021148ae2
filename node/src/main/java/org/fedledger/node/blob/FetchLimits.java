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

  /** The least time a fetch is given, for a peer's latency and a busy disk. */
  static final Duration BASE_DEADLINE = Duration.ofSeconds(20);

  /** The transfer rate a fetch's deadline allows for beyond its base: 8 MiB/s. */
  static final long BYTES_PER_SECOND = 8L << 20;

  /**
   * The limits for weights of a model with this many float32 parameters: its size (plus a header),
   * in 20 s plus a second per 8 MiB. A round's aggregator waits for its updates at most this long,
   * well within the chain's minimum commit time for a model of tens of MiB.
   */
  public static FetchLimits forParameters(long parameters) {
    long bytes = Math.addExact(Math.multiplyExact(parameters, 4L), HEADER_SLACK);
    return new FetchLimits(bytes, BASE_DEADLINE.plusSeconds(bytes / BYTES_PER_SECOND));
  }

  public FetchLimits withDeadline(Duration newDeadline) {
    return new FetchLimits(maxBytes, newDeadline);
  }
}
