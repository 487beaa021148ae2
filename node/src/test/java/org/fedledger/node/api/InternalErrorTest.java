package org.fedledger.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.fedledger.ledger.Ledger;
import org.fedledger.node.config.HostPort;
import org.fedledger.node.metrics.NodeMetrics;
import org.junit.jupiter.api.Test;

/** A failure inside the node answers 500 without the exception's text (hardening, #21 item 10). */
class InternalErrorTest {
  private static final String SECRET = "/var/lib/fedledger/node-0/secret-key.json is unreadable";

  /** A backend whose every read fails with a message that must not leave the node. */
  private static final class FailingBackend implements ChainBackend {
    @Override
    public Ledger ledger() {
      throw new IllegalStateException(SECRET);
    }

    @Override
    public List<Submission> submit(List<byte[]> encodedTransactions) {
      throw new IllegalStateException(SECRET);
    }

    @Override
    public ConsensusStatus consensusStatus() {
      throw new IllegalStateException(SECRET);
    }

    @Override
    public int mempoolSize() {
      return 0;
    }
  }

  @Test
  void aFailureAnswers500WithAnIncidentIdAndNoExceptionText() throws Exception {
    ApiServer api =
        new ApiServer(new FailingBackend(), new NodeMetrics(() -> 0, () -> 0))
            .start(new HostPort("127.0.0.1", 0));
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + api.port() + "/v1/blocks/latest"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(response.body())
          .contains("\"code\":\"INTERNAL\"")
          .contains("incident")
          .doesNotContain("secret-key")
          .doesNotContain("IllegalStateException");
    } finally {
      api.close();
    }
  }
}
