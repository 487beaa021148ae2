package org.fedledger.node.agent;

import java.util.Optional;
import org.fedledger.core.proto.blobs.AnnounceBlobServer;
import org.fedledger.ledger.Ledger;
import org.fedledger.ledger.blobs.BlobServersModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces on chain the blob server an agent's key names in its transactions, unless the chain
 * already says so: other nodes' agents fetch only from announced servers (issue #21, finding 3).
 * Sent right before the agent's first transaction that names the server, from the same key, so the
 * nonce order has it committed first. Not earlier: an owner's key is also its user's, whose own
 * transactions (say, registering the dataset) must not race an agent's when the node starts.
 */
final class BlobServerAnnouncement {
  private static final Logger log = LoggerFactory.getLogger(BlobServerAnnouncement.class);

  private final TxSender tx;
  private final String url;
  private boolean settled;

  BlobServerAnnouncement(TxSender tx, String url) {
    this.tx = tx;
    this.url = url;
  }

  /** Sends the announcement once, if the chain does not hold it yet; cheap once settled. */
  void ensure() {
    if (settled) {
      return;
    }
    Ledger ledger = tx.chain().ledger();
    Optional<String> current = ledger.query(q -> ledger.blobServers().serverOf(q, tx.address()));
    settled = true;
    if (current.isPresent() && current.get().equals(url)) {
      return;
    }
    try {
      tx.send(
          BlobServersModule.NAME,
          BlobServersModule.ANNOUNCE,
          AnnounceBlobServer.newBuilder().setUrl(url).build());
      log.info("{} announces its blob server {}", tx.address(), url);
    } catch (TxSender.TxRefusedException e) {
      // Its transactions still name the server; other nodes then fetch its blobs from their peers
      // only, and say why when they cannot.
      log.warn("{} cannot announce its blob server {}: {}", tx.address(), url, e.getMessage());
    }
  }
}
