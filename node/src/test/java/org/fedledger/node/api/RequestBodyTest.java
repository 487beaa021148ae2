package org.fedledger.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The body as sent, whether its length is declared or it arrives in chunks; too long: 413. */
class RequestBodyTest {
  private Javalin app;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    app =
        Javalin.create(
                c -> {
                  c.showJavalinBanner = false;
                  c.http.maxRequestSize = ApiServer.MAX_REQUEST_BYTES;
                })
            .post("/echo", ctx -> ctx.result(length(RequestBody.bytes(ctx))))
            .start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    app.stop();
    http.close();
  }

  @Test
  void aDeclaredLengthIsReadWhole() throws Exception {
    byte[] body = random(100_000);
    HttpResponse<String> r = post(HttpRequest.BodyPublishers.ofByteArray(body));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(length(body));
  }

  @Test
  void anEmptyBodyIsEmpty() throws Exception {
    HttpResponse<String> r = post(HttpRequest.BodyPublishers.ofByteArray(new byte[0]));
    assertThat(r.body()).isEqualTo(length(new byte[0]));
  }

  @Test
  void aChunkedBodyIsLeftToJavalinAndReadWhole() throws Exception {
    byte[] body = random(50_000);
    // An input stream's length is unknown: the client sends it chunked, with no Content-Length.
    HttpResponse<String> r =
        post(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(length(body));
  }

  @Test
  void aBodyOverTheLimitIsRefusedWith413() throws Exception {
    byte[] body = new byte[Math.toIntExact(ApiServer.MAX_REQUEST_BYTES) + 1];
    HttpResponse<String> r = post(HttpRequest.BodyPublishers.ofByteArray(body));
    assertThat(r.statusCode()).isEqualTo(413);
  }

  private HttpResponse<String> post(HttpRequest.BodyPublisher body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/echo"))
            .POST(body)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private static String length(byte[] body) throws Exception {
    return body.length
        + " "
        + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
  }
}
