package org.fedledger.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.node.blob.BlobClient;
import org.fedledger.node.blob.BlobException;
import org.fedledger.node.blob.BlobServer;
import org.fedledger.node.blob.BlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's agents fetch from a location a record names only if a member announced it on chain
 * (issue #21, finding 3): the attack is a submission naming a host of the sender's choosing, and
 * the fix shows as that host never being contacted.
 */
class BlobSourceLocationsTest {
  private static final byte[] BLOB = {1, 2, 3, 4};
  private static final Hash HASH = Sha256.hash(BLOB);

  @TempDir Path dir;
  private HttpServer server;
  private String url;
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        BlobServer.PATH,
        exchange -> {
          requests.incrementAndGet();
          exchange.sendResponseHeaders(200, BLOB.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(BLOB);
          }
        });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private BlobSource source(String name, List<String> peers, boolean announced) {
    return new BlobSource(
        new BlobClient(
            Ed25519KeyPair.generate(), new BlobStore(dir.resolve(name)), Clock.systemUTC()),
        peers,
        location -> announced && location.equals(url));
  }

  @Test
  void anUnannouncedLocationIsNeverContactedAndTheErrorSaysWhy() {
    BlobSource source = source("a", List.of(), false);
    assertThatThrownBy(() -> source.get(HASH, url))
        .isInstanceOf(BlobException.class)
        .hasMessageContaining("its location " + url + " is no blob server a member announced");
    assertThat(requests).hasValue(0);
  }

  @Test
  void anAnnouncedLocationIsFetchedFrom() throws BlobException {
    assertThat(source("b", List.of(), true).get(HASH, url)).containsExactly(BLOB);
    assertThat(requests).hasValue(1);
  }

  @Test
  void theOperatorsOwnPeersAreAlwaysAllowed() throws BlobException {
    // The same server, configured as a peer: the operator chose it, no announcement needed.
    assertThat(source("c", List.of(url), false).get(HASH, "http://127.0.0.1:9"))
        .containsExactly(BLOB);
    assertThat(requests).hasValue(1);
  }
}
