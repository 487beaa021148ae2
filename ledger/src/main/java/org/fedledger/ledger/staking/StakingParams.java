package org.fedledger.ledger.staking;

/**
 * The staking module's parameters. They are part of the code every node runs (not of state), so
 * every node of a network must run the same values; the defaults are what {@code Ledger} wires.
 *
 * @param unbondingDelayBlocks blocks between Unbond and the first height WithdrawUnbonded pays it;
 *     long enough that a fault found after a round can still be slashed
 */
public record StakingParams(long unbondingDelayBlocks) {
  public StakingParams {
    if (unbondingDelayBlocks < 0) {
      throw new IllegalArgumentException(
          "unbondingDelayBlocks must be >= 0, got " + unbondingDelayBlocks);
    }
  }

  public static StakingParams defaults() {
    return new StakingParams(100);
  }
}
