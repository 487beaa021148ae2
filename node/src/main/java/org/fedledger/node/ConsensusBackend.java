package org.fedledger.node;

import java.util.ArrayList;
import java.util.List;
import org.fedledger.consensus.mempool.SubmitResult;
import org.fedledger.consensus.node.ConsensusNode;
import org.fedledger.consensus.node.PeerAddress;
import org.fedledger.ledger.Ledger;
import org.fedledger.node.api.ChainBackend;

/** The API's view of a running {@link ConsensusNode}. */
public final class ConsensusBackend implements ChainBackend {
  private final ConsensusNode consensus;

  public ConsensusBackend(ConsensusNode consensus) {
    this.consensus = consensus;
  }

  @Override
  public Ledger ledger() {
    // Asked each time: a snapshot install replaces the ledger instance.
    return consensus.ledger();
  }

  @Override
  public List<Submission> submit(List<byte[]> encodedTransactions) {
    List<SubmitResult> results = consensus.submit(encodedTransactions);
    List<Submission> out = new ArrayList<>(results.size());
    for (SubmitResult r : results) {
      out.add(new Submission(r.txHash(), r.rejection(), r.message()));
    }
    return out;
  }

  @Override
  public ConsensusStatus consensusStatus() {
    return new ConsensusStatus(
        consensus.id(),
        consensus.isLeader(),
        consensus.leaderId(),
        consensus.peers().stream().map(PeerAddress::toString).toList());
  }

  @Override
  public int mempoolSize() {
    return consensus.mempool().size();
  }
}
