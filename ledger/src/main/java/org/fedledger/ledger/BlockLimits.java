package org.fedledger.ledger;

/**
 * How large a block may be, network-wide: part of the genesis (and of its hash), because the limits
 * shape every node alike. Raft's log entries must hold the leader's largest block on every
 * follower, and every node must execute an over-large block the same way (issue #21). A node may
 * cut smaller blocks of its own; no node cuts, replicates or executes larger ones.
 *
 * <p>In execution, the transactions of a block past either limit (counted in block order, bytes as
 * encoded) fail with {@link org.fedledger.core.tx.TxRejection#BLOCK_LIMIT} and change nothing: an
 * honest leader never proposes such a block, and a dishonest one gains nothing by it.
 *
 * @param maxTransactions most transactions in one block
 * @param maxBytes most encoded transaction bytes in one block
 */
public record BlockLimits(int maxTransactions, int maxBytes) {
  /** 5,000 transactions: about 150 ms of one core's execution of transfers. */
  public static final int DEFAULT_MAX_TRANSACTIONS = 5_000;

  /** 8 MiB: within gRPC's and Ratis' message sizes with room for a block's votes. */
  public static final int DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

  /** The smallest block: 256 KiB of every block are kept for state-root votes. */
  public static final int MIN_MAX_BYTES = 512 * 1024;

  /** The largest: a Raft log entry (block plus votes) stays far below 2 GiB array limits. */
  public static final int MAX_MAX_BYTES = 256 * 1024 * 1024;

  public static final BlockLimits DEFAULT =
      new BlockLimits(DEFAULT_MAX_TRANSACTIONS, DEFAULT_MAX_BYTES);

  public BlockLimits {
    if (maxTransactions < 1) {
      throw new IllegalArgumentException(
          "block limits: maxTransactions must be at least 1, got " + maxTransactions);
    }
    if (maxBytes < MIN_MAX_BYTES || maxBytes > MAX_MAX_BYTES) {
      throw new IllegalArgumentException(
          "block limits: maxBytes must be between "
              + MIN_MAX_BYTES
              + " (512 KiB; 256 KiB of every block are kept for state-root votes) and "
              + MAX_MAX_BYTES
              + " (256 MiB), got "
              + maxBytes);
    }
  }
}
