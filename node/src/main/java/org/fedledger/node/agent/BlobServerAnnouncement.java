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

  /**
   * Sends the announcement, if the chain does not hold it yet; cheap once it does.
   *
   * @throws TxSender.TxRefusedException if the node refused it (say, the key's user has a
   *     transaction of its own pending): the caller's transaction, which names the server, must
   *     then wait too, and both are tried again on the next block
   */
  void ensure() throws TxSender.TxRefusedException {
    if (settled) {
      return;
    }
    Ledger ledger = tx.chain().ledger();
    Optional<String> current = ledger.query(q -> ledger.blobServers().serverOf(q, tx.address()));
    if (current.isEmpty() || !current.get().equals(url)) {
      tx.send(
          BlobServersModule.NAME,
          BlobServersModule.ANNOUNCE,
          AnnounceBlobServer.newBuilder().setUrl(url).build());
      log.info("{} announces its blob server {}", tx.address(), url);
    }
    settled = true;
  }
}
