package org.fedledger.cli.demo;

import java.util.ArrayList;
import java.util.List;
import org.fedledger.consensus.mempool.SubmitResult;
import org.fedledger.consensus.node.ConsensusNode;
import org.fedledger.consensus.node.PeerAddress;
import org.fedledger.ledger.Ledger;
import org.fedledger.node.api.ChainBackend;

/** The REST API's view of one of the demo's validators. */
final class DemoBackend implements ChainBackend {
  private final ConsensusNode node;

  DemoBackend(ConsensusNode node) {
    this.node = node;
  }

  @Override
  public Ledger ledger() {
    return node.ledger();
  }

  @Override
  public List<Submission> submit(List<byte[]> encodedTransactions) {
    List<Submission> out = new ArrayList<>();
    for (SubmitResult r : node.submit(encodedTransactions)) {
      out.add(new Submission(r.txHash(), r.rejection(), r.message()));
    }
    return out;
  }

  @Override
  public ConsensusStatus consensusStatus() {
    return new ConsensusStatus(
        node.id(),
        node.isLeader(),
        node.leaderId(),
        node.peers().stream().map(PeerAddress::toString).toList());
  }

  @Override
  public int mempoolSize() {
    return node.mempool().size();
  }
}
