package org.fedledger.ledger;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.Block;
import org.fedledger.core.proto.BlockHeader;
import org.fedledger.core.proto.BlockProposal;
import org.fedledger.core.tx.DecodedTransaction;
import org.fedledger.ledger.state.StateProof;

/** API placeholder; the implementation follows. */
public final class Ledger implements AutoCloseable {
  private Ledger() {}

  public static Ledger open(Path dir, Genesis genesis) {
    throw new UnsupportedOperationException("not yet");
  }

  public static Ledger restoreCheckpoint(Path checkpoint, Path dir, Genesis genesis) {
    throw new UnsupportedOperationException("not yet");
  }

  public static Hash genesisHash(Genesis genesis) {
    throw new UnsupportedOperationException("not yet");
  }

  public BlockResult applyBlock(BlockProposal proposal, byte[] consensusMarker) {
    throw new UnsupportedOperationException("not yet");
  }

  public byte[] consensusMarker() {
    throw new UnsupportedOperationException("not yet");
  }

  public AdmissionResult checkTransaction(DecodedTransaction tx) {
    throw new UnsupportedOperationException("not yet");
  }

  public String chainId() {
    throw new UnsupportedOperationException("not yet");
  }

  public long height() {
    throw new UnsupportedOperationException("not yet");
  }

  public BlockHeader lastHeader() {
    throw new UnsupportedOperationException("not yet");
  }

  public Hash lastBlockHash() {
    throw new UnsupportedOperationException("not yet");
  }

  public Hash stateRoot() {
    throw new UnsupportedOperationException("not yet");
  }

  public Optional<Block> blockByHeight(long height) {
    throw new UnsupportedOperationException("not yet");
  }

  public Optional<Block> blockByHash(Hash hash) {
    throw new UnsupportedOperationException("not yet");
  }

  public List<org.fedledger.core.proto.Receipt> receipts(long height) {
    throw new UnsupportedOperationException("not yet");
  }

  public Optional<TxRecord> transaction(Hash hash) {
    throw new UnsupportedOperationException("not yet");
  }

  public AccountView account(Address address) {
    throw new UnsupportedOperationException("not yet");
  }

  public StateProof stateProof(byte[] key) {
    throw new UnsupportedOperationException("not yet");
  }

  public List<ValidatorInfo> validators() {
    throw new UnsupportedOperationException("not yet");
  }

  public List<Fault> faults() {
    throw new UnsupportedOperationException("not yet");
  }

  public void addBlockListener(Consumer<BlockResult> listener) {
    throw new UnsupportedOperationException("not yet");
  }

  public void checkpoint(Path target) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public void close() {}
}
