package org.fedledger.consensus.mempool;

import org.fedledger.core.tx.TransactionCodec;

/**
 * Limits of the mempool. Start from {@link #defaults()} and change what differs with the {@code
 * with*} methods.
 *
 * @param capacity most transactions held at once (pending and in blocks not yet committed)
 * @param maxTxBytes largest encoded transaction admitted; at most {@link
 *     TransactionCodec#MAX_TX_BYTES}
 * @param verifierThreads threads that check signatures; 0 means one per available processor
 * @param maxPoolBytes most bytes of transactions held at once: with only a count, large junk
 *     transactions would fill memory long before the count
 * @param maxSenderTxs most transactions one sender may have held at once
 * @param maxSenderBytes most bytes of transactions one sender may have held at once
 * @param gapExpiryBlocks a transaction that cannot execute because a lower nonce of its sender is
 *     missing leaves the pool after waiting this many blocks
 */
public record MempoolConfig(
    int capacity,
    int maxTxBytes,
    int verifierThreads,
    long maxPoolBytes,
    int maxSenderTxs,
    long maxSenderBytes,
    long gapExpiryBlocks) {
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
    if (maxPoolBytes < maxTxBytes || maxSenderBytes < maxTxBytes) {
      throw new IllegalArgumentException(
          "maxPoolBytes ("
              + maxPoolBytes
              + ") and maxSenderBytes ("
              + maxSenderBytes
              + ") must each hold at least one largest transaction ("
              + maxTxBytes
              + " bytes)");
    }
    if (maxSenderTxs < 1) {
      throw new IllegalArgumentException("maxSenderTxs must be at least 1, got " + maxSenderTxs);
    }
    if (gapExpiryBlocks < 1) {
      throw new IllegalArgumentException(
          "gapExpiryBlocks must be at least 1, got " + gapExpiryBlocks);
    }
  }

  /**
   * 200,000 transactions or 256 MiB; per sender 64 transactions (the ledger's nonce window) or 1
   * MiB; gapped transactions expire after 100 blocks.
   */
  public static MempoolConfig defaults() {
    return new MempoolConfig(
        DEFAULT_CAPACITY, TransactionCodec.MAX_TX_BYTES, 0, 256L << 20, 64, 1L << 20, 100);
  }

  public MempoolConfig withCapacity(int newCapacity) {
    return new MempoolConfig(
        newCapacity,
        maxTxBytes,
        verifierThreads,
        maxPoolBytes,
        maxSenderTxs,
        maxSenderBytes,
        gapExpiryBlocks);
  }

  public MempoolConfig withMaxPoolBytes(long bytes) {
    return new MempoolConfig(
        capacity,
        maxTxBytes,
        verifierThreads,
        bytes,
        maxSenderTxs,
        maxSenderBytes,
        gapExpiryBlocks);
  }

  /** The per-sender caps: transactions and bytes. */
  public MempoolConfig withSenderLimits(int txs, long bytes) {
    return new MempoolConfig(
        capacity, maxTxBytes, verifierThreads, maxPoolBytes, txs, bytes, gapExpiryBlocks);
  }

  public MempoolConfig withGapExpiryBlocks(long blocks) {
    return new MempoolConfig(
        capacity, maxTxBytes, verifierThreads, maxPoolBytes, maxSenderTxs, maxSenderBytes, blocks);
  }

  int effectiveVerifierThreads() {
    return verifierThreads == 0 ? Runtime.getRuntime().availableProcessors() : verifierThreads;
  }
}
