package org.fedledger.node.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Signed blob requests against a real blob server: the attacks of issue #21, finding 6. */
@Timeout(60)
class SignedBlobRequestsTest {
  @TempDir Path dir;

  private final Ed25519KeyPair owner = Ed25519KeyPair.generate();
  private final AtomicBoolean readerAllowed = new AtomicBoolean(false);
  private final Ed25519KeyPair reader = Ed25519KeyPair.generate();
  private final HttpClient http = HttpClient.newHttpClient();
  private BlobStore served;
  private BlobServer server;
  private Hash blob;

  @BeforeEach
  void start() throws Exception {
    served = new BlobStore(dir.resolve("server"));
    blob = served.put(new byte[] {1, 2, 3});
    BlobAccess access =
        (hash, who) ->
            who.equals(reader.publicKey().address()) && readerAllowed.get()
                ? null
                : "not allowed yet";
    server =
        new BlobServer(
                served, access, a -> a.equals(owner.publicKey().address()), Clock.systemUTC())
            .start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(Map<String, String> headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.url() + BlobServer.PATH + "/" + blob.toHex()));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> put(String query, Map<String, String> headers, byte[] body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.url() + BlobServer.PATH + query))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aRequestRefusedForItsPermissionDoesNotUseUpItsNonce() throws Exception {
    Map<String, String> headers =
        SignedRequest.sign(
            reader, "GET", BlobServer.PATH + "/" + blob.toHex(), blob.toHex(), Clock.systemUTC());
    assertThat(get(headers).statusCode()).isEqualTo(403);

    readerAllowed.set(true);
    assertThat(get(headers).statusCode()).as("the same request, now allowed").isEqualTo(200);
    assertThat(get(headers).body()).contains("replayed");
  }

  @Test
  void aKeyWithItsCaseChangedDoesNotReplayARequest() throws Exception {
    readerAllowed.set(true);
    Map<String, String> headers =
        SignedRequest.sign(
            reader, "GET", BlobServer.PATH + "/" + blob.toHex(), blob.toHex(), Clock.systemUTC());
    assertThat(get(headers).statusCode()).isEqualTo(200);

    Map<String, String> recased = new java.util.HashMap<>(headers);
    recased.put(SignedRequest.KEY, headers.get(SignedRequest.KEY).toUpperCase(Locale.ROOT));
    HttpResponse<String> replay = get(recased);
    assertThat(replay.statusCode()).isEqualTo(403);
    assertThat(replay.body()).contains("lowercase hex");
  }

  @Test
  void anUploadMustSignItsBodysHash() throws Exception {
    byte[] body = {9, 9, 9};
    Hash hash = Sha256.hash(body);
    // Without expect: refused, nothing stored.
    Map<String, String> unsignedBody =
        SignedRequest.sign(owner, "PUT", BlobServer.PATH, "", Clock.systemUTC());
    HttpResponse<String> refused = put("", unsignedBody, body);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("?expect=");
    assertThat(served.has(hash)).isFalse();

    // Captured headers of an upload of body, sent with another body: refused, nothing stored.
    Map<String, String> captured =
        SignedRequest.sign(owner, "PUT", BlobServer.PATH, hash.toHex(), Clock.systemUTC());
    byte[] other = {6, 6, 6};
    assertThat(put("?expect=" + hash.toHex(), captured, other).statusCode()).isEqualTo(422);
    assertThat(put("?expect=" + Sha256.hash(other).toHex(), captured, other).statusCode())
        .isEqualTo(403);
    assertThat(served.has(Sha256.hash(other))).isFalse();

    // The client always names and signs the hash, even when the caller gives none.
    BlobClient client = new BlobClient(owner, new BlobStore(dir.resolve("c")), Clock.systemUTC());
    assertThat(client.upload(server.url(), body, null)).isEqualTo(hash);
    assertThat(served.has(hash)).isTrue();
  }
}
