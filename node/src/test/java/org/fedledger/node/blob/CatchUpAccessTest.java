package org.fedledger.node.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.junit.jupiter.api.Test;

class CatchUpAccessTest {
  private static final Hash BLOB = Sha256.hash(new byte[] {7});

  @Test
  void aRefusalThatTheLedgerCatchesUpWithBecomesAnAnswer() {
    AtomicInteger asked = new AtomicInteger();
    // The node's ledger learns of the blob on the third look.
    BlobAccess lagging = (blob, who) -> asked.incrementAndGet() < 3 ? "no job refers to it" : null;
    CatchUpAccess access = new CatchUpAccess(lagging, Duration.ofSeconds(5));

    assertThat(access.denial(BLOB, Ed25519KeyPair.generate().publicKey().address())).isNull();
    assertThat(asked).hasValue(3);
  }

  @Test
  void aRefusalThatStandsIsFinalAfterThePatience() {
    CatchUpAccess access = new CatchUpAccess((blob, who) -> "not a member", Duration.ofMillis(300));
    long start = System.nanoTime();

    assertThat(access.denial(BLOB, Ed25519KeyPair.generate().publicKey().address()))
        .isEqualTo("not a member");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isBetween(Duration.ofMillis(300), Duration.ofSeconds(5));
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
            Duration.ofSeconds(5));
    assertThat(access.denial(BLOB, Ed25519KeyPair.generate().publicKey().address())).isNull();
    assertThat(asked).hasValue(1);
  }
}
