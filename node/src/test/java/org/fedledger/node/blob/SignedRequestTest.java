package org.fedledger.node.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.junit.jupiter.api.Test;

/** The replay rules of signed blob requests, on the verifier alone (issue #21, finding 6). */
class SignedRequestTest {
  private static final String PATH = BlobServer.PATH + "/" + "ab".repeat(32);
  private static final String HASH = "ab".repeat(32);
  private final Ed25519KeyPair key = Ed25519KeyPair.generate();
  private final MutableClock clock = new MutableClock(1_700_000_000_000L);
  private final SignedRequest.Verifier verifier = new SignedRequest.Verifier(clock);

  private Map<String, String> signed() {
    return new HashMap<>(SignedRequest.sign(key, "GET", PATH, HASH, clock));
  }

  private SignedRequest.Authenticated authenticate(Map<String, String> headers)
      throws SignedRequest.RefusedException {
    return verifier.authenticate(headers::get, "GET", PATH, HASH);
  }

  @Test
  void aRequestRefusedBeforeConsumingLeavesNoNonceBehind() throws Exception {
    Map<String, String> headers = signed();
    authenticate(headers); // the server then refuses it for its permission: nothing recorded
    assertThat(verifier.remembered()).isZero();

    verifier.consume(authenticate(headers)); // answered: recorded once
    assertThat(verifier.remembered()).isEqualTo(1);
    assertThatThrownBy(() -> authenticate(headers)).hasMessageContaining("replayed");
  }

  @Test
  void aKeyInCapitalsIsRefusedSoItCannotReplayARequest() throws Exception {
    Map<String, String> headers = signed();
    verifier.consume(authenticate(headers));

    for (String header :
        new String[] {SignedRequest.KEY, SignedRequest.SIGNATURE, SignedRequest.NONCE}) {
      Map<String, String> recased = new HashMap<>(headers);
      recased.put(header, headers.get(header).toUpperCase(Locale.ROOT));
      assertThatThrownBy(() -> authenticate(recased))
          .as(header)
          .hasMessageContaining("lowercase hex");
    }
    assertThat(verifier.remembered()).isEqualTo(1);
  }

  @Test
  void twoCopiesRacingToBeAnsweredAreAnsweredOnce() throws Exception {
    Map<String, String> headers = signed();
    SignedRequest.Authenticated first = authenticate(headers);
    SignedRequest.Authenticated second = authenticate(headers); // both passed before either was
    verifier.consume(first);
    assertThatThrownBy(() -> verifier.consume(second)).hasMessageContaining("replayed");
  }

  @Test
  void noncesAreForgottenOnceTwiceTheWindowHasPassed() throws Exception {
    for (int i = 0; i < 1_000; i++) {
      verifier.consume(authenticate(signed()));
    }
    assertThat(verifier.remembered()).isEqualTo(1_000);
    clock.advance(2 * SignedRequest.WINDOW.toMillis() + 1);

    verifier.consume(authenticate(signed()));

    assertThat(verifier.remembered()).isEqualTo(1);
  }

  /** A clock the test moves by hand. */
  private static final class MutableClock extends Clock {
    private long millis;

    MutableClock(long millis) {
      this.millis = millis;
    }

    void advance(long by) {
      millis += by;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
