package org.fedledger.consensus.node;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.fedledger.consensus.app.AppliedBlock;
import org.fedledger.consensus.app.CommittedTx;
import org.fedledger.core.hash.Hash;

/** Lets callers wait for a transaction to be committed, without polling on every block. */
final class CommitTracker {
  private final ConcurrentHashMap<Hash, CompletableFuture<CommittedTx>> waiters =
      new ConcurrentHashMap<>();

  void onBlock(AppliedBlock block) {
    if (waiters.isEmpty()) {
      return;
    }
    for (AppliedBlock.TxOutcome o : block.outcomes()) {
      CompletableFuture<CommittedTx> f = waiters.remove(o.txHash());
      if (f != null) {
        f.complete(new CommittedTx(o.txHash(), block.height(), o.ok(), o.error()));
      }
    }
  }

  Optional<CommittedTx> await(
      Hash txHash, Duration timeout, Function<Hash, Optional<CommittedTx>> lookup)
      throws InterruptedException {
    CompletableFuture<CommittedTx> f =
        waiters.computeIfAbsent(txHash, h -> new CompletableFuture<>());
    // Registered first, looked up second: a commit between the two is seen by one of them.
    Optional<CommittedTx> already = lookup.apply(txHash);
    if (already.isPresent()) {
      waiters.remove(txHash, f);
      return already;
    }
    try {
      return Optional.of(f.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      waiters.remove(txHash, f);
      return lookup.apply(txHash);
    } catch (ExecutionException e) {
      throw new IllegalStateException("commit tracking failed for " + txHash, e.getCause());
    }
  }
}
