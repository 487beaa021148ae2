package org.fedledger.node.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.junit.jupiter.api.Test;

class CatchUpAccessTest {
  private static final Hash BLOB = Sha256.hash(new byte[] {7});

  /** A ledger that applies a block every time its height is read: the busiest chain there is. */
  private static long busyChain(AtomicLong height) {
    return height.incrementAndGet();
  }

  @Test
  void aRefusalThatTheLedgerCatchesUpWithBecomesAnAnswer() {
    AtomicInteger asked = new AtomicInteger();
    AtomicLong height = new AtomicLong();
    // The node's ledger learns of the blob on the third look, two blocks later.
    BlobAccess lagging = (blob, who) -> asked.incrementAndGet() < 3 ? "no job refers to it" : null;
    CatchUpAccess access =
        new CatchUpAccess(lagging, () -> busyChain(height), Duration.ofSeconds(5));

    assertThat(access.denial(BLOB, Ed25519KeyPair.generate().publicKey().address())).isNull();
    assertThat(asked).hasValue(3);
  }

  @Test
  void aRefusalThatStandsIsAskedAFewTimesNotEveryFewMilliseconds() {
    AtomicInteger asked = new AtomicInteger();
    AtomicLong height = new AtomicLong();
    CatchUpAccess access =
        new CatchUpAccess(
            (blob, who) -> {
              asked.incrementAndGet();
              return "not a member";
            },
            () -> busyChain(height),
            Duration.ofSeconds(5));

    assertThat(access.denial(BLOB, Ed25519KeyPair.generate().publicKey().address()))
        .isEqualTo("not a member");
    assertThat(asked).hasValue(1 + CatchUpAccess.MAX_RECHECKS);
  }

  @Test
  void onAnIdleChainARefusalIsAskedOnceAndIsFinalAfterThePatience() {
    AtomicInteger asked = new AtomicInteger();
    CatchUpAccess access =
        new CatchUpAccess(
            (blob, who) -> {
              asked.incrementAndGet();
              return "not a member";
            },
            () -> 7,
            Duration.ofMillis(300));
    long start = System.nanoTime();

    assertThat(access.denial(BLOB, Ed25519KeyPair.generate().publicKey().address()))
        .isEqualTo("not a member");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isBetween(Duration.ofMillis(300), Duration.ofSeconds(5));
    assertThat(asked).hasValue(1);
  }

  @Test
  void allowedRequestsAreAnsweredAtOnce() {
    AtomicInteger asked = new AtomicInteger();
    CatchUpAccess access =
        new CatchUpAccess(
            (blob, who) -> {
              asked.incrementAndGet();
              return null;
            },
            () -> 1,
            Duration.ofSeconds(5));
    assertThat(access.denial(BLOB, Ed25519KeyPair.generate().publicKey().address())).isNull();
    assertThat(asked).hasValue(1);
  }
}
