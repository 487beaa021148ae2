package org.fedledger.node.blob;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;

/**
 * Fetches blobs from peers by hash into a local {@link BlobStore}, streaming, with signed requests;
 * the content is verified against the hash as it arrives and discarded on mismatch.
 */
public final class BlobClient {
  private final Ed25519KeyPair key;
  private final BlobStore local;
  private final Clock clock;
  private final HttpClient http;

  /** A client of plaintext blob servers (the test kit's in-process networks). */
  public BlobClient(Ed25519KeyPair key, BlobStore local, Clock clock) {
    this(key, local, clock, null);
  }

  /**
   * @param tls the client's TLS (its certificate, trusting the consortium's validators); null:
   *     plaintext
   */
  public BlobClient(Ed25519KeyPair key, BlobStore local, Clock clock, SSLContext tls) {
    this.key = key;
    this.local = local;
    this.clock = clock;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (tls != null) {
      b.sslContext(tls);
    }
    this.http = b.build();
  }

  public BlobStore local() {
    return local;
  }

  /** Fetches within {@link FetchLimits#DEFAULT}; see {@link #fetch(String, Hash, FetchLimits)}. */
  public void fetch(String baseUrl, Hash hash) throws BlobException {
    fetch(baseUrl, hash, FetchLimits.DEFAULT);
  }

  /**
   * Makes the local store hold hash, fetching it from baseUrl (e.g. http://host:port) if needed,
   * streaming to disk and taking at most limits' bytes within limits' deadline: a larger body is
   * refused as soon as it is seen, a fetch that runs past the deadline is cut off (its stream is
   * closed from a timer), and nothing is kept of either.
   *
   * @throws BlobHashMismatchException the peer served other bytes (nothing kept)
   * @throws BlobException the peer refused, does not hold it, cannot be reached, sent too much, or
   *     took too long
   */
  public void fetch(String baseUrl, Hash hash, FetchLimits limits) throws BlobException {
    if (local.has(hash)) {
      return;
    }
    String path = BlobServer.PATH + "/" + hash.toHex();
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(stripSlash(baseUrl) + path))
            .timeout(limits.deadline())
            .GET();
    for (Map.Entry<String, String> h :
        SignedRequest.sign(key, "GET", path, hash.toHex(), clock).entrySet()) {
      req.header(h.getKey(), h.getValue());
    }
    long deadline = System.nanoTime() + limits.deadline().toNanos();
    AtomicBoolean cutOff = new AtomicBoolean();
    try {
      HttpResponse<InputStream> resp =
          http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = resp.body();
          Watchdog unused = Watchdog.closeAt(deadline, body, cutOff)) {
        if (resp.statusCode() != 200) {
          String text = new String(body.readNBytes(2000), StandardCharsets.UTF_8);
          throw new BlobException(
              "blob "
                  + hash.toHex()
                  + " from "
                  + baseUrl
                  + ": HTTP "
                  + resp.statusCode()
                  + " "
                  + text);
        }
        local.put(new LimitedInputStream(body, limits.maxBytes()), hash, baseUrl);
      }
    } catch (IOException e) {
      if (cutOff.get() || e instanceof java.net.http.HttpTimeoutException) {
        throw new BlobException(
            "blob "
                + hash.toHex()
                + " from "
                + baseUrl
                + " did not arrive within "
                + limits.deadline()
                + "; nothing kept",
            e);
      }
      throw new BlobException(
          "cannot fetch blob " + hash.toHex() + " from " + baseUrl + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BlobException("interrupted fetching blob " + hash.toHex(), e);
    }
  }

  /**
   * Uploads bytes to a peer's store; returns the hash the peer answered. The request names and
   * signs the bytes' hash (expected, or computed here when null), so that its headers cannot carry
   * another body.
   */
  public Hash upload(String baseUrl, byte[] bytes, Hash expected) throws BlobException {
    Hash named = expected == null ? Sha256.hash(bytes) : expected;
    String query = "?expect=" + named.toHex();
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(stripSlash(baseUrl) + BlobServer.PATH + query))
            .timeout(Duration.ofMinutes(2))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
    for (Map.Entry<String, String> h :
        SignedRequest.sign(key, "PUT", BlobServer.PATH, named.toHex(), clock).entrySet()) {
      req.header(h.getKey(), h.getValue());
    }
    try {
      HttpResponse<String> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() != 201) {
        throw new BlobException(
            "upload to " + baseUrl + ": HTTP " + resp.statusCode() + " " + resp.body());
      }
      String body = resp.body();
      int i = body.indexOf("\"hash\":\"");
      return Hash.fromHex(body.substring(i + 8, i + 8 + 64));
    } catch (IOException e) {
      throw new BlobException("cannot upload to " + baseUrl + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BlobException("interrupted uploading to " + baseUrl, e);
    }
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
