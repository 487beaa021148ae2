package org.fedledger.ledger.blobs;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.blobs.AnnounceBlobServer;
import org.fedledger.core.tx.TxRejection;
import org.fedledger.ledger.module.Bytes;
import org.fedledger.ledger.module.ExecutionContext;
import org.fedledger.ledger.module.MessageType;
import org.fedledger.ledger.module.Module;
import org.fedledger.ledger.module.ModuleStore;
import org.fedledger.ledger.module.QueryContext;
import org.fedledger.ledger.module.StoreKey;
import org.fedledger.ledger.module.TxFailedException;

/**
 * Where members serve their blobs. A node's agents fetch updates, aggregates and statistics only
 * from a URL announced here (or from the peers their operator configured), so a transaction's
 * {@code blob_location} cannot point a validator at an arbitrary host: the address it fetches from
 * is on record, under the key of whoever announced it (issue #21, finding 3).
 *
 * <p>State (under "blobs/"): {@code server/<address>} → the sender's URL (UTF-8); {@code
 * url/<SHA-256 of the URL>} → how many accounts announce it (8 bytes), so a URL stays announced
 * while anyone announces it.
 */
public final class BlobServersModule implements Module {
  public static final String NAME = "blobs";
  public static final String ANNOUNCE = "AnnounceBlobServer";
  public static final String EVENT_ANNOUNCED = "BlobServerAnnounced";

  private static final byte[] SERVER = Bytes.utf8("server/");
  private static final byte[] URL = Bytes.utf8("url/");

  private final StoreKey key = new StoreKey(NAME);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<MessageType<?>> messageTypes() {
    return List.of(
        new MessageType<>(
            ANNOUNCE, AnnounceBlobServer::parseFrom, this::announce, (m, sender, ctx) -> check(m)));
  }

  private static void check(AnnounceBlobServer m) throws TxFailedException {
    String problem = BlobServerUrl.problem(m.getUrl());
    if (problem != null) {
      throw new TxFailedException(TxRejection.INVALID_MESSAGE, problem);
    }
  }

  private void announce(AnnounceBlobServer m, ExecutionContext ctx) throws TxFailedException {
    check(m);
    ModuleStore store = ctx.store(key);
    byte[] serverKey = serverKey(ctx.sender());
    byte[] previous = store.get(serverKey);
    if (previous != null) {
      String old = new String(previous, StandardCharsets.UTF_8);
      if (old.equals(m.getUrl())) {
        return; // already announced: nothing changes
      }
      long count = store.getLong(urlKey(old));
      if (count <= 1) {
        store.delete(urlKey(old));
      } else {
        store.putLong(urlKey(old), count - 1);
      }
    }
    store.put(serverKey, Bytes.utf8(m.getUrl()));
    store.putLong(urlKey(m.getUrl()), store.getLong(urlKey(m.getUrl())) + 1);
    ctx.events().emit(NAME, EVENT_ANNOUNCED, "account", ctx.sender().toHex(), "url", m.getUrl());
  }

  /** The URL the account announced, if any. */
  public Optional<String> serverOf(QueryContext ctx, Address account) {
    byte[] url = ctx.store(key).get(serverKey(account));
    return url == null ? Optional.empty() : Optional.of(new String(url, StandardCharsets.UTF_8));
  }

  /** Whether some account announces exactly this URL. */
  public boolean isAnnounced(QueryContext ctx, String url) {
    return BlobServerUrl.problem(url) == null && ctx.store(key).getLong(urlKey(url)) > 0;
  }

  private static byte[] serverKey(Address account) {
    return Bytes.concat(SERVER, account.toByteArray());
  }

  private static byte[] urlKey(String url) {
    return Bytes.concat(URL, Sha256.hash(Bytes.utf8(url)).toByteArray());
  }
}
