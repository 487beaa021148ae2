package org.fedledger.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreePortsTest {
  @Test
  void distinctPortsAreDistinctAndBindable() throws IOException {
    List<Integer> ports = FreePorts.distinct(5);
    assertThat(ports).hasSize(5).doesNotHaveDuplicates();
    bindAll(ports);
  }

  @Test
  void aConsecutiveBlockIsBelowTheEphemeralRangeAndBindable() throws IOException {
    int base = FreePorts.consecutive(9);
    assertThat(base).isGreaterThanOrEqualTo(10_000);
    assertThat(base + 9).isLessThan(32_768);
    List<Integer> ports = new ArrayList<>();
    for (int p = base; p < base + 9; p++) {
      ports.add(p);
    }
    bindAll(ports);
  }

  @Test
  void theGarbageServerAnswersEveryPathWithTheSameFewBytes() throws Exception {
    try (GarbageServer server = GarbageServer.start()) {
      HttpClient client = HttpClient.newHttpClient();
      for (String path : List.of("/v1/blobs/aa", "/anything")) {
        HttpResponse<byte[]> r =
            client.send(
                HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).containsExactly(1, 2, 3, 4);
      }
    }
  }

  private static void bindAll(List<Integer> ports) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int p : ports) {
        held.add(new ServerSocket(p, 1, InetAddress.getLoopbackAddress()));
      }
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }
}
