package org.fedledger.node.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class BlobServerTest {
  @TempDir Path dir;

  private final Ed25519KeyPair owner = key(1);
  private final Ed25519KeyPair reader = key(2);
  private final Ed25519KeyPair stranger = key(3);
  private BlobStore served;
  private BlobServer server;

  private static Ed25519KeyPair key(int i) {
    byte[] seed = new byte[32];
    seed[0] = (byte) i;
    seed[31] = 9;
    return Ed25519KeyPair.fromSeed(seed);
  }

  @BeforeEach
  void start() {
    served = new BlobStore(dir.resolve("server"));
    Address allowed = reader.publicKey().address();
    Address ownerAddress = owner.publicKey().address();
    BlobAccess access =
        (blob, who) ->
            who.equals(allowed) || who.equals(ownerAddress) ? null : who + " is not authorized";
    server =
        new BlobServer(served, access, a -> a.equals(ownerAddress), Clock.systemUTC())
            .start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void multiMegabyteBlobRoundTripsThroughUploadAndStreamingDownload() throws Exception {
    byte[] data = random(12 * 1024 * 1024 + 17, 5);
    BlobClient ownerClient =
        new BlobClient(owner, new BlobStore(dir.resolve("o")), Clock.systemUTC());
    Hash hash = ownerClient.upload(server.url(), data, null);
    assertThat(hash).isEqualTo(Sha256.hash(data));
    assertThat(served.has(hash)).isTrue();

    BlobStore local = new BlobStore(dir.resolve("reader"));
    new BlobClient(reader, local, Clock.systemUTC()).fetch(server.url(), hash);
    assertThat(local.read(hash).orElseThrow()).isEqualTo(data);
    assertThat(entries(local.dir().resolve("tmp"))).isEmpty();
  }

  @Test
  void storeRejectsContentThatDoesNotMatchTheExpectedHash() throws Exception {
    BlobStore store = new BlobStore(dir.resolve("s"));
    Hash wrong = Sha256.hash(new byte[] {1});
    assertThatThrownBy(() -> store.put(new ByteArrayInputStream(new byte[] {2}), wrong, "test"))
        .isInstanceOf(BlobHashMismatchException.class)
        .hasMessageContaining(wrong.toHex());
    assertThat(store.has(wrong)).isFalse();
    assertThat(entries(store.dir().resolve("tmp"))).isEmpty();
  }

  @Test
  void aPeerServingOtherBytesIsDetectedAndNothingIsKept() throws Exception {
    byte[] data = random(1000, 7);
    Hash real = served.put(data);
    // Corrupt the served file behind the store's back: the bytes no longer match the name.
    Files.write(served.path(real), random(1000, 8));
    BlobStore local = new BlobStore(dir.resolve("r"));
    assertThatThrownBy(
            () -> new BlobClient(reader, local, Clock.systemUTC()).fetch(server.url(), real))
        .isInstanceOf(BlobHashMismatchException.class);
    assertThat(local.has(real)).isFalse();
  }

  @Test
  void unsignedWronglySignedAndUnauthorizedRequestsAreRefused() throws Exception {
    Hash hash = served.put(random(100, 1));
    String path = BlobServer.PATH + "/" + hash.toHex();
    HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> unsigned =
        http.send(
            HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(unsigned.body()).contains("unsigned");

    // Signed by the reader for another path: the signature does not cover this request.
    Map<String, String> other =
        SignedRequest.sign(
            reader,
            "GET",
            BlobServer.PATH + "/" + Hash.ZERO.toHex(),
            hash.toHex(),
            Clock.systemUTC());
    HttpRequest.Builder wrong = HttpRequest.newBuilder(URI.create(server.url() + path));
    other.forEach(wrong::header);
    HttpResponse<String> badSig = http.send(wrong.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(badSig.statusCode()).isEqualTo(403);
    assertThat(badSig.body()).contains("bad signature");

    // A stale signature is refused.
    Clock past = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-5));
    HttpRequest.Builder stale = HttpRequest.newBuilder(URI.create(server.url() + path));
    SignedRequest.sign(reader, "GET", path, hash.toHex(), past).forEach(stale::header);
    assertThat(http.send(stale.build(), HttpResponse.BodyHandlers.ofString()).body())
        .contains("stale");

    // A replayed request is refused.
    Map<String, String> once =
        SignedRequest.sign(reader, "GET", path, hash.toHex(), Clock.systemUTC());
    HttpRequest.Builder first = HttpRequest.newBuilder(URI.create(server.url() + path));
    once.forEach(first::header);
    assertThat(http.send(first.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
    HttpRequest.Builder again = HttpRequest.newBuilder(URI.create(server.url() + path));
    once.forEach(again::header);
    HttpResponse<String> replay = http.send(again.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(replay.statusCode()).isEqualTo(403);
    assertThat(replay.body()).contains("replayed");

    BlobStore local = new BlobStore(dir.resolve("x"));
    assertThatThrownBy(
            () -> new BlobClient(stranger, local, Clock.systemUTC()).fetch(server.url(), hash))
        .isInstanceOf(BlobException.class)
        .hasMessageContaining("403")
        .hasMessageContaining("not authorized");
    assertThat(local.has(hash)).isFalse();

    // Only the owner uploads.
    assertThatThrownBy(
            () ->
                new BlobClient(reader, local, Clock.systemUTC())
                    .upload(server.url(), new byte[] {1}, null))
        .hasMessageContaining("403");
  }

  @Test
  void aMissingBlobIs404() {
    BlobStore local = new BlobStore(dir.resolve("m"));
    Hash absent = Sha256.hash(new byte[] {42});
    assertThatThrownBy(
            () -> new BlobClient(reader, local, Clock.systemUTC()).fetch(server.url(), absent))
        .isInstanceOf(BlobException.class)
        .hasMessageContaining("404");
  }

  private static List<Path> entries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
