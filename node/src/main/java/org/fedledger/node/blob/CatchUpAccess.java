package org.fedledger.node.blob;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;

/**
 * Access decided from this node's ledger, which may trail the requester's: an aggregator on the
 * leader asks a follower for an update the moment the leader has applied the block naming it,
 * before the follower has. So a refusal is asked again, each time this node's ledger has applied
 * another block, at most {@link #MAX_RECHECKS} times and for at most {@code patience}; only then is
 * it final. A refusal therefore costs the chain's decision a few times, not once every few
 * milliseconds (it used to be asked about 100 times). Requests the chain does allow are answered at
 * once.
 */
public final class CatchUpAccess implements BlobAccess {
  /** Long enough for a loaded follower to apply a block or two, short enough to fail fast. */
  public static final Duration DEFAULT_PATIENCE = Duration.ofSeconds(5);

  /** A trailing node needs a block or two; more re-checks only serve a requester refused anyway. */
  static final int MAX_RECHECKS = 3;

  private static final long POLL_MILLIS = 20;

  private final BlobAccess chain;
  private final LongSupplier height;
  private final Duration patience;

  /**
   * @param height this node's ledger height: a refusal is asked again only after it changed
   */
  public CatchUpAccess(BlobAccess chain, LongSupplier height, Duration patience) {
    this.chain = chain;
    this.height = height;
    this.patience = patience;
  }

  @Override
  public String denial(Hash blob, Address requester) {
    long checkedAt = height.getAsLong();
    String denial = chain.denial(blob, requester);
    long deadline = System.nanoTime() + patience.toNanos();
    int rechecks = 0;
    while (denial != null && rechecks < MAX_RECHECKS && System.nanoTime() < deadline) {
      try {
        Thread.sleep(POLL_MILLIS); // reads one volatile height: cheap, unlike the decision
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return denial;
      }
      long now = height.getAsLong();
      if (now != checkedAt) {
        checkedAt = now;
        rechecks++;
        denial = chain.denial(blob, requester);
      }
    }
    return denial;
  }
}
