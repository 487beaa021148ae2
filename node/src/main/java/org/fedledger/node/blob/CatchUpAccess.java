package org.fedledger.node.blob;

import java.time.Duration;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;

/**
 * Access decided from this node's ledger, which may trail the requester's: an aggregator on the
 * leader asks a follower for an update the moment the leader has applied the block naming it,
 * before the follower has. So a refusal is asked again until it stands for {@code patience}; only
 * then is it final. Requests the chain does allow are answered at once.
 */
public final class CatchUpAccess implements BlobAccess {
  /** Long enough for a loaded follower to apply a block or two, short enough to fail fast. */
  public static final Duration DEFAULT_PATIENCE = Duration.ofSeconds(5);

  private static final long RECHECK_MILLIS = 50;

  private final BlobAccess chain;
  private final Duration patience;

  public CatchUpAccess(BlobAccess chain, Duration patience) {
    this.chain = chain;
    this.patience = patience;
  }

  @Override
  public String denial(Hash blob, Address requester) {
    String denial = chain.denial(blob, requester);
    long deadline = System.nanoTime() + patience.toNanos();
    while (denial != null && System.nanoTime() < deadline) {
      try {
        Thread.sleep(RECHECK_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return denial;
      }
      denial = chain.denial(blob, requester);
    }
    return denial;
  }
}
