package org.fedledger.node.blob;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.crypto.Ed25519PublicKey;

/**
 * Ed25519-signed blob requests. The signature covers a domain tag, the method, the path, the blob
 * hash, a timestamp and a random nonce; the server accepts it within a freshness window and only
 * once (nonces are remembered for the window), so a captured request cannot be replayed.
 */
public final class SignedRequest {
  public static final String KEY = "X-Fedledger-Key";
  public static final String TIME = "X-Fedledger-Time";
  public static final String NONCE = "X-Fedledger-Nonce";
  public static final String SIGNATURE = "X-Fedledger-Signature";
  public static final Duration WINDOW = Duration.ofSeconds(60);

  private static final SecureRandom RANDOM = new SecureRandom();

  private SignedRequest() {}

  /** The headers that sign method + path + hash now. */
  public static Map<String, String> sign(
      Ed25519KeyPair key, String method, String path, String hashHex, Clock clock) {
    long time = clock.millis();
    byte[] n = new byte[16];
    RANDOM.nextBytes(n);
    String nonce = HexFormat.of().formatHex(n);
    byte[] sig = key.sign(message(method, path, hashHex, time, nonce));
    return Map.of(
        KEY,
        key.publicKey().toHex(),
        TIME,
        Long.toString(time),
        NONCE,
        nonce,
        SIGNATURE,
        HexFormat.of().formatHex(sig));
  }

  static byte[] message(String method, String path, String hashHex, long time, String nonce) {
    return ("fedledger-blob-request-v1\n"
            + method
            + "\n"
            + path
            + "\n"
            + hashHex
            + "\n"
            + time
            + "\n"
            + nonce)
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Checks signed requests on the server side in two steps, so that a request refused for its
   * permission leaves nothing behind: {@link #authenticate} (headers in canonical lowercase hex,
   * freshness, signature, not seen before) stores nothing; {@link #consume} records the nonce once
   * the server has decided to answer. Nonces are kept for twice the window and forgotten oldest
   * first, without scanning the others.
   */
  public static final class Verifier {
    private static final Pattern KEY_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SIGNATURE_HEX = Pattern.compile("[0-9a-f]{128}");
    private static final Pattern NONCE_HEX = Pattern.compile("[0-9a-f]{16,64}");

    private final Clock clock;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final ArrayDeque<Remembered> byAge = new ArrayDeque<>(); // guarded by itself

    private record Remembered(String id, long forgetAt) {}

    public Verifier(Clock clock) {
      this.clock = clock;
    }

    /**
     * The signer's key, or throws with the reason the request is refused; then records the nonce.
     * For servers that decide nothing else before answering.
     *
     * @param header reads a request header (null when absent)
     */
    public Ed25519PublicKey verify(
        Function<String, String> header, String method, String path, String hashHex)
        throws RefusedException {
      Authenticated a = authenticate(header, method, path, hashHex);
      consume(a);
      return a.key();
    }

    /**
     * Checks a request without recording anything: throws with the reason it is refused.
     *
     * @param header reads a request header (null when absent)
     */
    public Authenticated authenticate(
        Function<String, String> header, String method, String path, String hashHex)
        throws RefusedException {
      String key = header.apply(KEY);
      String time = header.apply(TIME);
      String nonce = header.apply(NONCE);
      String sig = header.apply(SIGNATURE);
      if (key == null || time == null || nonce == null || sig == null) {
        throw new RefusedException(
            "unsigned request: send the "
                + KEY
                + ", "
                + TIME
                + ", "
                + NONCE
                + " and "
                + SIGNATURE
                + " headers");
      }
      // One spelling per key, nonce and signature: otherwise a request with its key in capitals
      // would be another request to the replay check, and could be sent twice.
      if (!KEY_HEX.matcher(key).matches()
          || !SIGNATURE_HEX.matcher(sig).matches()
          || !NONCE_HEX.matcher(nonce).matches()) {
        throw new RefusedException(
            "malformed signature headers: the key (64), signature (128) and nonce (16-64) must be"
                + " lowercase hex digits");
      }
      Ed25519PublicKey publicKey;
      long t;
      try {
        publicKey = Ed25519PublicKey.fromHex(key);
        t = Long.parseLong(time);
      } catch (IllegalArgumentException e) {
        throw new RefusedException("malformed signature headers: " + e.getMessage());
      }
      long now = clock.millis();
      if (Math.abs(now - t) > WINDOW.toMillis()) {
        throw new RefusedException(
            "stale request: signed at " + t + ", now " + now + " (window " + WINDOW + ")");
      }
      String id = key + "/" + nonce;
      if (seen.contains(id)) {
        throw new RefusedException("replayed request (nonce already used)");
      }
      if (!publicKey.verify(
          message(method, path, hashHex, t, nonce), HexFormat.of().parseHex(sig))) {
        throw new RefusedException("bad signature for " + method + " " + path);
      }
      return new Authenticated(publicKey, id);
    }

    /** Records the request's nonce, refusing it if a copy got there first. */
    public void consume(Authenticated request) throws RefusedException {
      long now = clock.millis();
      synchronized (byAge) {
        while (!byAge.isEmpty() && byAge.peekFirst().forgetAt() <= now) {
          seen.remove(byAge.pollFirst().id());
        }
        if (!seen.add(request.id())) {
          throw new RefusedException("replayed request (nonce already used)");
        }
        byAge.addLast(new Remembered(request.id(), now + 2 * WINDOW.toMillis()));
      }
    }

    /** Nonces remembered now. */
    int remembered() {
      return seen.size();
    }
  }

  /** A request whose signature holds, not yet recorded; see {@link Verifier#consume}. */
  public record Authenticated(Ed25519PublicKey key, String id) {}

  /** A request refused before anything was served. */
  public static final class RefusedException extends Exception {
    public RefusedException(String message) {
      super(message);
    }
  }
}
