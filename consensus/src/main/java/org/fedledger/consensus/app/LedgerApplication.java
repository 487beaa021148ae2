package org.fedledger.consensus.app;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.BlockProposal;
import org.fedledger.core.proto.Event;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.tx.DecodedTransaction;
import org.fedledger.ledger.AdmissionResult;
import org.fedledger.ledger.BlockResult;
import org.fedledger.ledger.Genesis;
import org.fedledger.ledger.Ledger;
import org.fedledger.ledger.ValidatorInfo;
import org.fedledger.ledger.validators.ValidatorsModule;

/** The adaptor from the {@link Application} port to the real {@link Ledger}. */
public final class LedgerApplication implements Application {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(LedgerApplication.class);
  private final Ledger ledger;

  public LedgerApplication(Ledger ledger) {
    this.ledger = ledger;
  }

  /** Opens (or creates from genesis) the ledger in each directory it is asked for. */
  public static ApplicationFactory<LedgerApplication> factory(Genesis genesis) {
    return dir -> new LedgerApplication(Ledger.open(dir, genesis));
  }

  public Ledger ledger() {
    return ledger;
  }

  @Override
  public String chainId() {
    return ledger.chainId();
  }

  @Override
  public Admission checkTransaction(DecodedTransaction tx) {
    AdmissionResult r = ledger.checkTransaction(tx);
    return r.isOk() ? Admission.ACCEPTED : Admission.rejected(r.rejection(), r.message());
  }

  @Override
  public long accountNonce(Address sender) {
    return ledger.accountNonce(sender);
  }

  @Override
  public AppliedBlock applyBlock(BlockProposal proposal, byte[] consensusMarker) {
    BlockResult r = ledger.applyBlock(proposal, consensusMarker);
    List<SignedTransaction> txs = r.block().getTransactionsList();
    List<Receipt> receipts = r.receipts();
    List<AppliedBlock.TxOutcome> outcomes = new ArrayList<>(receipts.size());
    for (int i = 0; i < receipts.size(); i++) {
      Receipt receipt = receipts.get(i);
      Optional<Address> sender = senderOf(txs.get(i));
      if (sender.isEmpty()) {
        // A faulty leader proposed bytes that are no transaction: the ledger recorded a FAILED
        // receipt, and no mempool can hold it, so there is nothing to evict or to wait for.
        continue;
      }
      outcomes.add(
          new AppliedBlock.TxOutcome(
              Hash.of(receipt.getTxHash()),
              sender.get(),
              receipt.getStatus() == ReceiptStatus.OK,
              receipt.getError()));
    }
    List<String> faults = new ArrayList<>();
    for (Event e : r.blockEvents()) {
      if (ValidatorsModule.isVoteRejected(e)) {
        LOG.warn("height {}: the ledger dropped a state-root vote: {}", r.height(), attrs(e));
      }
      if (ValidatorsModule.isFault(e)) {
        faults.add(e.getModule() + "/" + e.getType() + " " + e.getAttributesList());
      }
    }
    return new AppliedBlock(
        r.height(),
        r.blockHash(),
        r.stateRoot(),
        r.header().getTimestampMillis(),
        outcomes,
        faults);
  }

  private static String attrs(Event e) {
    StringBuilder b = new StringBuilder();
    for (var a : e.getAttributesList()) {
      b.append(a.getKey()).append('=').append(a.getValue()).append(' ');
    }
    return b.toString().trim();
  }

  /**
   * The sender of a transaction, or empty if its body does not decode. Never throws: an exception
   * here would escape Ratis' applyTransaction and stop the server.
   */
  private static Optional<Address> senderOf(SignedTransaction tx) {
    try {
      return Optional.of(
          Ed25519PublicKey.shared(TxBody.parseFrom(tx.getBody()).getSenderPublicKey().toByteArray())
              .address());
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Override
  public Optional<CommittedTx> findCommitted(Hash txHash) {
    return ledger
        .transaction(txHash)
        .map(
            r ->
                new CommittedTx(
                    txHash,
                    r.height(),
                    r.receipt().getStatus() == ReceiptStatus.OK,
                    r.receipt().getError()));
  }

  @Override
  public byte[] consensusMarker() {
    return ledger.consensusMarker();
  }

  @Override
  public long height() {
    return ledger.height();
  }

  @Override
  public Hash lastBlockHash() {
    return ledger.lastBlockHash();
  }

  @Override
  public Hash stateRoot() {
    return ledger.stateRoot();
  }

  @Override
  public long lastBlockTimestampMillis() {
    return ledger.height() == 0 ? 0 : ledger.lastHeader().getTimestampMillis();
  }

  @Override
  public boolean isValidator(Ed25519PublicKey key) {
    for (ValidatorInfo v : ledger.validators()) {
      if (v.publicKey().equals(key)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void checkpoint(Path target) {
    ledger.checkpoint(target);
  }

  @Override
  public void close() {
    ledger.close();
  }
}
