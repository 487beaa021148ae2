package org.fedledger.node.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers that a hostile member names as a blob's location (issue #21, finding 3): each fetch is
 * refused within its limits, nothing is kept, and the client fetches from an honest peer next.
 */
@Timeout(60)
class HostileBlobPeersTest {
  private static final Hash WANTED = Sha256.hash(new byte[] {4, 2});
  private static final FetchLimits LIMITS = new FetchLimits(64 * 1024, Duration.ofSeconds(2));

  @TempDir Path dir;
  private HttpServer server;
  private BlobStore local;
  private BlobClient client;

  @BeforeEach
  void open() {
    local = new BlobStore(dir.resolve("local"));
    client = new BlobClient(Ed25519KeyPair.generate(), local, Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private String serve(HttpHandler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", handler);
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static void endless(HttpExchange exchange) throws IOException {
    exchange.sendResponseHeaders(200, 0); // chunked, no length
    byte[] chunk = new byte[8192];
    try (OutputStream out = exchange.getResponseBody()) {
      while (true) {
        out.write(chunk);
      }
    } catch (IOException e) {
      // the client hung up: that is the point
    }
  }

  private static void trickle(HttpExchange exchange) throws IOException {
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      while (true) {
        out.write(7);
        out.flush();
        Thread.sleep(200);
      }
    } catch (IOException | InterruptedException e) {
      // the client hung up
    }
  }

  private static void oversize(HttpExchange exchange) throws IOException {
    exchange.sendResponseHeaders(200, 10L << 30); // announces 10 GiB, and sends them
    byte[] chunk = new byte[8192];
    try (OutputStream out = exchange.getResponseBody()) {
      for (long sent = 0; sent < 10L << 30; sent += chunk.length) {
        out.write(chunk);
      }
    } catch (IOException e) {
      // the client hung up
    }
  }

  private void assertRefusedInTime(String url, String why) {
    long start = System.nanoTime();
    assertThatThrownBy(() -> client.fetch(url, WANTED, LIMITS))
        .isInstanceOf(BlobException.class)
        .hasMessageContaining(why);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("refused within the deadline and some slack")
        .isLessThan(LIMITS.deadline().plusSeconds(3));
    assertThat(local.has(WANTED)).isFalse();
  }

  @Test
  void anEndlessStreamIsCutOffAtTheByteCap() throws Exception {
    assertRefusedInTime(serve(HostileBlobPeersTest::endless), "larger than the 65536 bytes");
  }

  @Test
  void aTrickleIsCutOffAtTheDeadline() throws Exception {
    assertRefusedInTime(serve(HostileBlobPeersTest::trickle), "did not arrive within PT2S");
  }

  @Test
  void aBlobOverTheCapIsRefusedOnceTheCapIsPassed() throws Exception {
    assertRefusedInTime(serve(HostileBlobPeersTest::oversize), "larger than the 65536 bytes");
  }

  @Test
  void aPeerThatNeverAnswersIsGivenUpAtTheDeadline() throws Exception {
    assertRefusedInTime(
        serve(
            exchange -> {
              try {
                Thread.sleep(30_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }),
        "did not arrive within PT2S");
  }

  @Test
  void afterAHostilePeerTheClientStillFetchesFromAnHonestOne() throws Exception {
    assertRefusedInTime(serve(HostileBlobPeersTest::trickle), "did not arrive");
    server.stop(0);
    BlobStore honestStore = new BlobStore(dir.resolve("honest"));
    Hash hash = honestStore.put(new byte[] {4, 2});
    try (BlobServer honest =
        new BlobServer(honestStore, BlobAccess.ANY_SIGNER, a -> false, Clock.systemUTC())
            .start("127.0.0.1", 0)) {
      // A generous deadline here: what is tested is that the client is still usable, and a loaded
      // machine may take more than the hostile peers' 2 s to start a server and answer.
      client.fetch(honest.url(), hash, LIMITS.withDeadline(Duration.ofSeconds(30)));
    }
    assertThat(local.has(hash)).isTrue();
  }
}
