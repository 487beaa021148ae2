package org.fedledger.core.tx;

/** Why a transaction was refused; the API maps each to an HTTP 4xx status. */
public enum TxRejection {
  MALFORMED,
  OVERSIZE,
  BAD_SIGNATURE,
  WRONG_CHAIN,
  BAD_NONCE,
  INSUFFICIENT_BALANCE,
  UNKNOWN_MODULE,
  UNKNOWN_MESSAGE,
  INVALID_MESSAGE,
  DUPLICATE,
  MEMPOOL_FULL,
  UNAUTHORIZED,
  /** In a block past the genesis' block limits: only a faulty leader proposes such a block. */
  BLOCK_LIMIT
}
