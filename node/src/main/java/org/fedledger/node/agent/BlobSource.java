package org.fedledger.node.agent;

import java.util.ArrayList;
import java.util.List;
import org.fedledger.core.hash.Hash;
import org.fedledger.learning.io.Safetensors;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.node.blob.BlobClient;
import org.fedledger.node.blob.BlobException;
import org.fedledger.node.blob.BlobHashMismatchException;
import org.fedledger.node.blob.FetchLimits;

/**
 * Gets blobs by hash for an agent: from its own store, else from the location the chain names, else
 * from known peers (e.g. the sponsor serving a job's initial weights). A hash mismatch from the
 * named location is reported as such (not retried elsewhere): it is evidence against the submitter.
 */
public final class BlobSource {
  private final BlobClient client;
  private final List<String> peers;

  public BlobSource(BlobClient client, List<String> peers) {
    this.client = client;
    this.peers = List.copyOf(peers);
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
    if (location != null && !location.isEmpty()) {
      where.add(location);
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
      throw last;
    }
    if (!client.local().has(hash)) {
      throw new BlobException("blob " + hash.toHex() + " is not available at " + tried);
    }
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
