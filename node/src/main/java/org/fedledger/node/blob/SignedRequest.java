package org.fedledger.node.blob;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

  /** Checks signed requests on the server side; remembers nonces for the window. */
  public static final class Verifier {
    private final Clock clock;
    private final Map<String, Long> seen = new ConcurrentHashMap<>();

    public Verifier(Clock clock) {
      this.clock = clock;
    }

    /**
     * The signer's key, or throws with the reason the request is refused.
     *
     * @param header reads a request header (null when absent)
     */
    public Ed25519PublicKey verify(
        java.util.function.Function<String, String> header,
        String method,
        String path,
        String hashHex)
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
      Ed25519PublicKey publicKey;
      long t;
      byte[] signature;
      try {
        publicKey = Ed25519PublicKey.fromHex(key);
        t = Long.parseLong(time);
        signature = HexFormat.of().parseHex(sig);
      } catch (IllegalArgumentException e) {
        throw new RefusedException("malformed signature headers: " + e.getMessage());
      }
      long now = clock.millis();
      if (Math.abs(now - t) > WINDOW.toMillis()) {
        throw new RefusedException(
            "stale request: signed at " + t + ", now " + now + " (window " + WINDOW + ")");
      }
      if (nonce.length() < 16 || nonce.length() > 64) {
        throw new RefusedException("the nonce must be 16-64 characters");
      }
      if (!publicKey.verify(message(method, path, hashHex, t, nonce), signature)) {
        throw new RefusedException("bad signature for " + method + " " + path);
      }
      prune(now);
      if (seen.putIfAbsent(key + "/" + nonce, t) != null) {
        throw new RefusedException("replayed request (nonce already used)");
      }
      return publicKey;
    }

    private void prune(long now) {
      for (Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator(); it.hasNext(); ) {
        if (now - it.next().getValue() > 2 * WINDOW.toMillis()) {
          it.remove();
        }
      }
    }
  }

  /** A request refused before anything was served. */
  public static final class RefusedException extends Exception {
    public RefusedException(String message) {
      super(message);
    }
  }
}
