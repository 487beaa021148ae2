package org.fedledger.consensus.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.BlockProposal;
import org.fedledger.core.tx.DecodedTransaction;

/**
 * What consensus needs from the application. Implementations must be safe for concurrent {@link
 * #checkTransaction} calls while at most one thread applies blocks.
 */
public interface Application extends AutoCloseable {

  /** The chain id every transaction and state-root vote is bound to. */
  String chainId();

  /**
   * Full admission check of one structurally valid transaction against committed state: signature,
   * chain id, nonce window, known module and message, balance. Never throws for bad input.
   */
  Admission checkTransaction(DecodedTransaction tx);

  /** The nonce the sender's next transaction must carry, per committed state. */
  long accountNonce(Address sender);

  /**
   * Validates, executes and commits one block together with the consensus marker, atomically.
   * Business failures are reported in the result; an exception means storage failed.
   */
  AppliedBlock applyBlock(BlockProposal proposal, byte[] consensusMarker);

  /** The committed transaction with this hash, if the chain holds it. */
  Optional<CommittedTx> findCommitted(Hash txHash);

  /** The marker stored with the last applied block, or an empty array before the first block. */
  byte[] consensusMarker();

  long height();

  Hash lastBlockHash();

  Hash stateRoot();

  /** Timestamp of the last block, 0 before the first one; proposals never go back in time. */
  long lastBlockTimestampMillis();

  /** True if this key belongs to the validator set whose state-root votes the chain records. */
  boolean isValidator(Ed25519PublicKey key);

  /** Writes a consistent, openable copy of the whole state to a directory that must not exist. */
  void checkpoint(Path target) throws IOException;

  @Override
  void close();
}
