package org.fedledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.tx.TransactionCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queries and admission from other threads while blocks are applied see whole blocks only. */
class ConcurrentQueriesTest {
  @TempDir Path dir;

  @Test
  void readersAlwaysSeeConsistentCommittedState() throws Exception {
    try (Ledger ledger = Ledger.open(dir, TestNet.genesis())) {
      AtomicBoolean done = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<Integer> provers =
            pool.submit(
                () -> {
                  int checks = 0;
                  byte[] key = ledger.balanceStateKey(TestNet.address(1));
                  while (!done.get()) {
                    AnchoredProof p = ledger.anchoredStateProof(key);
                    assertThat(p.verify(key)).isTrue();
                    long h = ledger.height();
                    assertThat(ledger.blockByHeight(h)).isPresent();
                    checks++;
                  }
                  return checks;
                });
        Future<Integer> admitters =
            pool.submit(
                () -> {
                  int checks = 0;
                  while (!done.get()) {
                    SignedTransaction tx = TestNet.transfer(5, 6, 1, checks % 50);
                    ledger.checkTransaction(TransactionCodec.decode(tx));
                    checks++;
                  }
                  return checks;
                });
        long nonce = 0;
        for (int b = 0; b < 12; b++) {
          List<SignedTransaction> txs = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            txs.add(TestNet.transfer(0, 1 + i % 4, 1, nonce++));
          }
          ledger.applyBlock(TestNet.proposal(TestNet.GENESIS_TIME + b, txs), new byte[0]);
        }
        done.set(true);
        assertThat(provers.get(30, TimeUnit.SECONDS)).isPositive();
        assertThat(admitters.get(30, TimeUnit.SECONDS)).isPositive();
        assertThat(ledger.account(TestNet.address(0)).nonce()).isEqualTo(120);
      } finally {
        done.set(true);
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      }
    }
  }
}
