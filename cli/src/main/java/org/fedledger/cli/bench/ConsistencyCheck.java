package org.fedledger.cli.bench;

import java.time.Duration;
import java.util.List;
import org.fedledger.consensus.node.ConsensusNode;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.Block;
import org.fedledger.ledger.Ledger;

/**
 * After a run: every node has the same block at the last height, the bank's total supply and the
 * sum of all balances are what genesis created, and the accounts' nonces add up to the transfers
 * submitted. A benchmark whose nodes disagree measured nothing, so any mismatch is an exception.
 */
final class ConsistencyCheck {
  private ConsistencyCheck() {}

  /** Checks the network; returns the height that every node agrees on. */
  static long verify(
      LocalNetwork network,
      List<Address> accounts,
      long expectedSupply,
      long expectedNonces,
      Duration timeout)
      throws InterruptedException {
    List<ConsensusNode> nodes = network.nodes();
    long height = nodes.stream().mapToLong(ConsensusNode::height).max().orElseThrow();
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ConsensusNode node : nodes) {
      while (node.height() < height) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "node " + node.id() + " is stuck at height " + node.height() + " of " + height);
        }
        Thread.sleep(10);
      }
    }
    Hash reference = null;
    for (ConsensusNode node : nodes) {
      Ledger ledger = node.ledger();
      Block block =
          ledger
              .blockByHeight(height)
              .orElseThrow(
                  () -> new IllegalStateException("node " + node.id() + " has no block " + height));
      Hash hash = Sha256.hash(block.getHeader().toByteArray());
      if (reference == null) {
        reference = hash;
      } else if (!reference.equals(hash)) {
        throw new IllegalStateException(
            "nodes disagree at height "
                + height
                + ": "
                + nodes.get(0).id()
                + " has block "
                + reference
                + ", "
                + node.id()
                + " has "
                + hash);
      }
      long supply = ledger.totalSupply();
      long balances = 0;
      long nonces = 0;
      for (Address a : accounts) {
        var view = ledger.account(a);
        balances += view.balance();
        nonces += view.nonce();
      }
      if (supply != expectedSupply || balances != expectedSupply) {
        throw new IllegalStateException(
            "node "
                + node.id()
                + ": genesis created "
                + expectedSupply
                + " tokens but the total supply is "
                + supply
                + " and the balances add up to "
                + balances);
      }
      if (nonces != expectedNonces) {
        throw new IllegalStateException(
            "node "
                + node.id()
                + ": the accounts' nonces add up to "
                + nonces
                + ", expected one per transfer: "
                + expectedNonces);
      }
    }
    return height;
  }
}
