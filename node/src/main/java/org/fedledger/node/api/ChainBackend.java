package org.fedledger.node.api;

import java.util.List;
import java.util.Optional;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.tx.TxRejection;
import org.fedledger.ledger.Ledger;

/**
 * What the API needs from the node: the ledger for queries, and admission into consensus. One
 * adaptor implements it over the consensus facade.
 */
public interface ChainBackend {
  /** The committed state; queries only. */
  Ledger ledger();

  /** Offers encoded SignedTransactions to the mempool; one result per input, in order. */
  List<Submission> submit(List<byte[]> encodedTransactions);

  /** Who leads, who is in the group. */
  ConsensusStatus consensusStatus();

  /** Transactions waiting in the mempool. */
  int mempoolSize();

  /**
   * The admission verdict for one transaction.
   *
   * @param hash null when the bytes could not be decoded at all
   * @param rejection null when accepted
   */
  record Submission(Hash hash, TxRejection rejection, String message) {
    public boolean accepted() {
      return rejection == null;
    }
  }

  /** The Raft group as this node sees it. */
  record ConsensusStatus(
      String nodeId, boolean leader, Optional<String> leaderId, List<String> peers) {}
}
