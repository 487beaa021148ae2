package org.fedledger.consensus.block;

import java.time.Duration;
import org.fedledger.ledger.BlockLimits;

/**
 * How the leader cuts blocks. Its size limits are this node's and may only be lower than the
 * network's, which the genesis fixes ({@link org.fedledger.ledger.BlockLimits}).
 *
 * @param maxTxsPerBlock a block is cut as soon as this many transactions are pending
 * @param maxBlockBytes upper bound on the encoded transactions of one block
 * @param blockInterval a block is cut when this much time passed since the last one and at least
 *     one transaction or vote is waiting
 * @param maxInFlightBlocks proposals submitted to Raft and not yet applied; more than one lets the
 *     leader prepare block n+1 while block n replicates
 * @param maxVotesPerBlock state-root votes carried by one block at most
 */
public record BlockParams(
    int maxTxsPerBlock,
    int maxBlockBytes,
    Duration blockInterval,
    int maxInFlightBlocks,
    int maxVotesPerBlock) {

  public static final int DEFAULT_MAX_TXS = BlockLimits.DEFAULT_MAX_TRANSACTIONS;
  public static final int DEFAULT_MAX_BYTES = BlockLimits.DEFAULT_MAX_BYTES;

  /**
   * 30 ms: on three validators sharing two cores, p99 at 4,900 transfers/s was 54-104 ms with 30 ms
   * blocks against 78-97 with 40 ms and 102-175 with 50 ms (BENCHMARKS.md, session 10): smaller
   * blocks spread each node's verification and apply evenly instead of in bursts. The price is a
   * fixed cost per block (votes, Raft entries, roots), about 8 ms of CPU over three nodes.
   */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(30);

  public static final int DEFAULT_IN_FLIGHT = 3;
  public static final int DEFAULT_MAX_VOTES = 1_000;

  /** The smallest block: 256 KiB of every block are kept for state-root votes. */
  public static final int MIN_MAX_BYTES = BlockLimits.MIN_MAX_BYTES;

  public BlockParams {
    if (maxTxsPerBlock < 1) {
      throw new IllegalArgumentException("maxTxsPerBlock must be >= 1, got " + maxTxsPerBlock);
    }
    if (maxBlockBytes < MIN_MAX_BYTES) {
      // 256 KiB of every block are kept for state-root votes.
      throw new IllegalArgumentException("maxBlockBytes must be >= 512 KiB, got " + maxBlockBytes);
    }
    if (blockInterval == null || blockInterval.isNegative() || blockInterval.isZero()) {
      throw new IllegalArgumentException("blockInterval must be positive, got " + blockInterval);
    }
    if (maxInFlightBlocks < 1) {
      throw new IllegalArgumentException(
          "maxInFlightBlocks must be >= 1, got " + maxInFlightBlocks);
    }
    if (maxVotesPerBlock < 1 || maxVotesPerBlock > 1_500) {
      throw new IllegalArgumentException(
          "maxVotesPerBlock must be in [1, 1500] (they share 256 KiB of a block), got "
              + maxVotesPerBlock);
    }
  }

  public static BlockParams defaults() {
    return new BlockParams(
        DEFAULT_MAX_TXS, DEFAULT_MAX_BYTES, DEFAULT_INTERVAL, DEFAULT_IN_FLIGHT, DEFAULT_MAX_VOTES);
  }

  public BlockParams withBlockInterval(Duration interval) {
    return new BlockParams(
        maxTxsPerBlock, maxBlockBytes, interval, maxInFlightBlocks, maxVotesPerBlock);
  }

  /** These parameters with sizes no larger than the network's limits. */
  public BlockParams within(BlockLimits limits) {
    return new BlockParams(
        Math.min(maxTxsPerBlock, limits.maxTransactions()),
        Math.min(maxBlockBytes, limits.maxBytes()),
        blockInterval,
        maxInFlightBlocks,
        maxVotesPerBlock);
  }

  public BlockParams withMaxTxsPerBlock(int maxTxs) {
    return new BlockParams(
        maxTxs, maxBlockBytes, blockInterval, maxInFlightBlocks, maxVotesPerBlock);
  }
}
