package org.fedledger.consensus.app;

import java.util.List;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;

/**
 * What applying one proposal produced, as far as consensus cares.
 *
 * @param height the new height of the chain
 * @param blockHash hash of the new block's header
 * @param stateRoot state root after the block: what validators sign
 * @param timestampMillis the block's timestamp
 * @param outcomes one per transaction, in block order
 * @param faults evidence the application recorded (for example a state-root vote that disagrees)
 */
public record AppliedBlock(
    long height,
    Hash blockHash,
    Hash stateRoot,
    long timestampMillis,
    List<TxOutcome> outcomes,
    List<String> faults) {

  public AppliedBlock {
    outcomes = List.copyOf(outcomes);
    faults = List.copyOf(faults);
  }

  /**
   * One transaction's fate in a block.
   *
   * @param error empty when ok
   */
  public record TxOutcome(Hash txHash, Address sender, boolean ok, String error) {}
}
