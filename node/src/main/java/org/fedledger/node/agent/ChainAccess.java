package org.fedledger.node.agent;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.fedledger.consensus.app.CommittedTx;
import org.fedledger.consensus.mempool.SubmitResult;
import org.fedledger.consensus.node.ConsensusNode;
import org.fedledger.core.hash.Hash;
import org.fedledger.ledger.Ledger;

/** What an agent needs from the node it runs on: reading state, submitting, block ticks. */
public interface ChainAccess {
  /** The committed state (asked each time: a snapshot install replaces the ledger). */
  Ledger ledger();

  SubmitResult submit(byte[] encodedTransaction);

  Optional<CommittedTx> awaitCommitted(Hash txHash, Duration timeout) throws InterruptedException;

  /** Runs listener after each committed block, on the apply thread: it must return at once. */
  void onBlock(Runnable listener);

  static ChainAccess of(ConsensusNode node) {
    return new ChainAccess() {
      @Override
      public Ledger ledger() {
        return node.ledger();
      }

      @Override
      public SubmitResult submit(byte[] tx) {
        return node.submit(List.of(tx)).get(0);
      }

      @Override
      public Optional<CommittedTx> awaitCommitted(Hash txHash, Duration timeout)
          throws InterruptedException {
        return node.awaitCommitted(txHash, timeout);
      }

      @Override
      public void onBlock(Runnable listener) {
        node.addBlockListener(b -> listener.run());
      }
    };
  }
}
