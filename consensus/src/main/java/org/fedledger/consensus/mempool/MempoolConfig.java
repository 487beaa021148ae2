package org.fedledger.consensus.mempool;

import org.fedledger.core.tx.TransactionCodec;

/**
 * Limits of the mempool.
 *
 * @param capacity most transactions held at once (pending and in blocks not yet committed)
 * @param maxTxBytes largest encoded transaction admitted; at most {@link
 *     TransactionCodec#MAX_TX_BYTES}
 * @param verifierThreads threads that check signatures; 0 means one per available processor
 */
public record MempoolConfig(int capacity, int maxTxBytes, int verifierThreads) {
  public static final int DEFAULT_CAPACITY = 200_000;

  public MempoolConfig {
    if (capacity < 1) {
      throw new IllegalArgumentException("mempool capacity must be at least 1, got " + capacity);
    }
    if (maxTxBytes < 1 || maxTxBytes > TransactionCodec.MAX_TX_BYTES) {
      throw new IllegalArgumentException(
          "maxTxBytes must be in [1, " + TransactionCodec.MAX_TX_BYTES + "], got " + maxTxBytes);
    }
    if (verifierThreads < 0) {
      throw new IllegalArgumentException("verifierThreads must be >= 0, got " + verifierThreads);
    }
  }

  public static MempoolConfig defaults() {
    return new MempoolConfig(DEFAULT_CAPACITY, TransactionCodec.MAX_TX_BYTES, 0);
  }

  public MempoolConfig withCapacity(int newCapacity) {
    return new MempoolConfig(newCapacity, maxTxBytes, verifierThreads);
  }

  int effectiveVerifierThreads() {
    return verifierThreads == 0 ? Runtime.getRuntime().availableProcessors() : verifierThreads;
  }
}
