package org.fedledger.ledger.execution;

import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.fedledger.core.tx.DecodedTransaction;

/**
 * Verifies the signatures of a block's transactions in parallel. Each result depends only on its
 * own transaction's bytes, so the outcome is the same for any number of threads.
 */
public final class SignatureVerifier implements AutoCloseable {
  /** Below this many, threads cost more than they save. */
  private static final int PARALLEL_THRESHOLD = 32;

  private final ForkJoinPool pool;
  private final VerifiedCache cache;

  public SignatureVerifier(int threads, VerifiedCache cache) {
    this.pool = new ForkJoinPool(Math.max(1, threads));
    this.cache = cache;
  }

  /**
   * valid[i] for each transaction (null entries, which failed decoding, are false). Transactions
   * found in the cache are taken as valid without verifying again.
   */
  public boolean[] verify(List<DecodedTransaction> txs) {
    boolean[] valid = new boolean[txs.size()];
    boolean[] pending = new boolean[txs.size()];
    int toVerify = 0;
    for (int i = 0; i < valid.length; i++) {
      DecodedTransaction tx = txs.get(i);
      if (tx == null) {
        continue;
      }
      if (cache.take(tx.hash())) {
        valid[i] = true;
      } else {
        pending[i] = true;
        toVerify++;
      }
    }
    if (toVerify < PARALLEL_THRESHOLD) {
      for (int i = 0; i < valid.length; i++) {
        if (pending[i]) {
          valid[i] = txs.get(i).hasValidSignature();
        }
      }
    } else {
      pool.submit(
              () ->
                  IntStream.range(0, valid.length)
                      .parallel()
                      .filter(i -> pending[i])
                      .forEach(i -> valid[i] = txs.get(i).hasValidSignature()))
          .join();
    }
    return valid;
  }

  @Override
  public void close() {
    pool.shutdown();
  }
}
