package org.fedledger.node.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.fedledger.core.hash.Hash;
import org.fedledger.learning.io.Safetensors;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.ledger.Ledger;
import org.fedledger.node.blob.BlobClient;
import org.fedledger.node.blob.BlobException;
import org.fedledger.node.blob.BlobHashMismatchException;
import org.fedledger.node.blob.FetchLimits;

/**
 * Gets blobs by hash for an agent: from its own store, else from the location the chain names (if
 * the policy allows it), else from known peers (e.g. the sponsor serving a job's initial weights).
 * A hash mismatch from the named location is reported as such (not retried elsewhere): it is
 * evidence against the submitter.
 *
 * <p>A node's agents allow only locations that a member announced on chain (issue #21, finding 3):
 * a transaction's {@code blob_location} is chosen by its sender, and must not point a validator at
 * whatever host that sender likes. The peers are the operator's own configuration, always allowed.
 */
public final class BlobSource {
  private final BlobClient client;
  private final List<String> peers;
  private final Predicate<String> mayFetchFrom;

  /**
   * The rule of a node's agents: a location may be fetched from if a member announced it on the
   * chain that ledger holds.
   */
  public static Predicate<String> announcedOn(Supplier<Ledger> ledger) {
    return location -> ledger.get().query(q -> ledger.get().blobServers().isAnnounced(q, location));
  }

  /** A source that fetches from any named location (the CLI's, acting for its user). */
  public BlobSource(BlobClient client, List<String> peers) {
    this(client, peers, location -> true);
  }

  /**
   * @param mayFetchFrom whether a location a record names may be fetched from (a node's agents:
   *     whether a member announced it)
   */
  public BlobSource(BlobClient client, List<String> peers, Predicate<String> mayFetchFrom) {
    this.client = client;
    this.peers = List.copyOf(peers);
    this.mayFetchFrom = mayFetchFrom;
  }

  public BlobClient client() {
    return client;
  }

  /** Fetches (if needed, within the default limits) and returns the blob's bytes. */
  public byte[] get(Hash hash, String location) throws BlobException {
    return get(hash, location, FetchLimits.DEFAULT);
  }

  /** Fetches (if needed, within limits) and returns the blob's bytes. */
  public byte[] get(Hash hash, String location, FetchLimits limits) throws BlobException {
    fetch(hash, location, limits);
    try {
      return client.local().read(hash).orElseThrow();
    } catch (java.io.IOException e) {
      throw new BlobException("cannot read the local copy of " + hash.toHex(), e);
    }
  }

  /**
   * Makes sure the blob is in the local store, fetching it if needed, without reading it: for a
   * prefetch, whose bytes are read when they are needed.
   */
  public void fetch(Hash hash, String location) throws BlobException {
    fetch(hash, location, FetchLimits.DEFAULT);
  }

  /**
   * As {@link #fetch(Hash, String)}, each attempt within limits (size and whole-fetch deadline).
   */
  public void fetch(Hash hash, String location, FetchLimits limits) throws BlobException {
    if (client.local().has(hash)) {
      return;
    }
    List<String> tried = new ArrayList<>();
    BlobException last = null;
    List<String> where = new ArrayList<>();
    String refused = null;
    if (location != null && !location.isEmpty()) {
      if (mayFetchFrom.test(location)) {
        where.add(location);
      } else {
        refused = location;
      }
    }
    where.addAll(peers);
    for (String url : where) {
      if (tried.contains(url)) {
        continue;
      }
      tried.add(url);
      try {
        client.fetch(url, hash, limits);
        last = null;
        break;
      } catch (BlobHashMismatchException e) {
        throw e;
      } catch (BlobException e) {
        last = e;
      }
    }
    if (last != null) {
      throw refused == null
          ? last
          : new BlobException(last.getMessage() + notAnnounced(refused), last);
    }
    if (!client.local().has(hash)) {
      throw new BlobException(
          "blob "
              + hash.toHex()
              + " is not available at "
              + tried
              + (refused == null ? "" : notAnnounced(refused)));
    }
  }

  private static String notAnnounced(String location) {
    return "; its location " + location + " is no blob server a member announced on chain";
  }

  /** The weights in a safetensors blob. */
  public Weights weights(Hash hash, String location) throws BlobException {
    return weights(hash, location, FetchLimits.DEFAULT);
  }

  /** The weights in a safetensors blob, fetched within limits (e.g. the model's size). */
  public Weights weights(Hash hash, String location, FetchLimits limits) throws BlobException {
    byte[] bytes = get(hash, location, limits);
    try {
      return Safetensors.read(bytes);
    } catch (RuntimeException e) {
      throw new BlobException(
          "blob " + hash.toHex() + " is not safetensors weights: " + e.getMessage(), e);
    }
  }
}
