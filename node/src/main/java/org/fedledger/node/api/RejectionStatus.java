package org.fedledger.node.api;

import org.fedledger.core.tx.TxRejection;

/**
 * The HTTP status of each admission rejection. The split: 400 the request itself is wrong, 401 it
 * is not signed by who it claims, 403 the signer may not do this, 409 it conflicts with the
 * sender's current nonce or an earlier submission (fetch the nonce and retry), 413 it is too big,
 * 422 it is well-formed but cannot be executed, 503 the node is overloaded (retry later).
 */
public final class RejectionStatus {
  private RejectionStatus() {}

  public static int of(TxRejection rejection) {
    return switch (rejection) {
      case MALFORMED, WRONG_CHAIN -> 400;
      case BAD_SIGNATURE -> 401;
      case UNAUTHORIZED -> 403;
      case BAD_NONCE, DUPLICATE -> 409;
      case OVERSIZE, BLOCK_LIMIT -> 413;
      case INSUFFICIENT_BALANCE, UNKNOWN_MODULE, UNKNOWN_MESSAGE, INVALID_MESSAGE -> 422;
      case MEMPOOL_FULL -> 503;
    };
  }
}
