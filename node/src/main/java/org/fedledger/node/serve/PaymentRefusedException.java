package org.fedledger.node.serve;

/**
 * A call refused for its payment: 402 (pay differently) or 403 (not yours to use), with a code, the
 * reason, and the channel's current nonce when the channel is known, so that a client whose
 * vouchers went stale by a claim can continue under the new nonce.
 */
public final class PaymentRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final long channelNonce;

  /**
   * @param channelNonce the channel's nonce on chain, or -1 when unknown
   */
  public PaymentRefusedException(int status, String code, String message, long channelNonce) {
    super(message);
    this.status = status;
    this.code = code;
    this.channelNonce = channelNonce;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** The channel's nonce on chain, or -1 when the channel is unknown. */
  public long channelNonce() {
    return channelNonce;
  }
}
