package org.fedledger.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The event stream against clients that misbehave: one that never reads must not hold up the
 * others, and opening streams without end is refused with 503 past the limits.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventStreamLimitsTest {
  private static final int MAX = 3;
  private static final int PER_ADDRESS = 2;
  private static final int QUEUE = 64;

  private EventStream stream;
  private Javalin app;
  private final List<Socket> sockets = new ArrayList<>();

  @BeforeEach
  void start() {
    stream = new EventStream(new ObjectMapper(), MAX, PER_ADDRESS, QUEUE);
    app = Javalin.create(c -> c.showJavalinBanner = false);
    app.exception(
        ApiException.class,
        (e, ctx) -> ctx.status(e.status()).result(e.code() + ": " + e.getMessage()));
    stream.mount(app, "/v1/events");
    app.start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    stream.close();
    app.stop();
  }

  @Test
  void aClientThatNeverReadsIsDisconnectedAndTheOthersGetEveryEvent() throws Exception {
    // The slow client's receive buffer is tiny and it never reads: its writes block.
    Socket slow = new Socket();
    slow.setReceiveBufferSize(4096);
    sockets.add(slow);
    slow.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), app.port()));
    request(slow);
    Socket good = open(2);
    BufferedReader reader = reader(good);
    assertThat(reader.readLine()).startsWith("HTTP/1.1 200");
    awaitSubscribers(2);

    String big = "x".repeat(64 * 1024);
    int events = 600;
    AtomicInteger seen = new AtomicInteger();
    Thread reading =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    String line;
                    while (seen.get() < events && (line = reader.readLine()) != null) {
                      if (line.equals("event: test")) {
                        seen.incrementAndGet();
                      }
                    }
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                });
    for (int i = 0; i < events; i++) {
      // Paced as blocks are: the reading client stays a few events behind at most, while 38 MB
      // pile up against the one that never reads, far more than socket buffers hold.
      while (seen.get() < i - QUEUE / 4 && reading.isAlive()) {
        Thread.sleep(1);
      }
      stream.send("test", Map.of("i", i, "pad", big));
    }
    reading.join(Duration.ofSeconds(30));
    assertThat(seen.get()).as("events the reading client received").isEqualTo(events);
    awaitSubscribers(1);
  }

  @Test
  void streamsPastTheLimitPerAddressOrInAllAreRefusedWith503() throws Exception {
    assertThat(status(open(1))).startsWith("HTTP/1.1 200");
    assertThat(status(open(1))).startsWith("HTTP/1.1 200");
    awaitSubscribers(2);
    Socket third = open(1);
    assertThat(status(third)).startsWith("HTTP/1.1 503");
    assertThat(bodyContaining(third, "holds 2"))
        .contains("TOO_MANY_SUBSCRIBERS", "this address already holds 2");

    assertThat(status(open(3))).startsWith("HTTP/1.1 200");
    awaitSubscribers(MAX);
    Socket overall = open(4);
    assertThat(status(overall)).startsWith("HTTP/1.1 503");
    assertThat(bodyContaining(overall, "to 3 subscribers"))
        .contains("TOO_MANY_SUBSCRIBERS", "already streams events to 3 subscribers");

    // Closing a stream frees its place.
    sockets.get(0).close();
    awaitSubscribers(MAX - 1);
    assertThat(status(open(4))).startsWith("HTTP/1.1 200");
  }

  /** A stream request from 127.0.0.{host}: every address of 127/8 is this machine. */
  private Socket open(int host) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    s.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) host}), 0));
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), app.port()));
    request(s);
    return s;
  }

  private static void request(Socket s) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(
        "GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static BufferedReader reader(Socket s) throws IOException {
    return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
  }

  private static String status(Socket s) throws IOException {
    s.setSoTimeout(10_000);
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = s.getInputStream().read()) != -1 && c != '\n') {
      line.append((char) c);
    }
    return line.toString();
  }

  /** Reads the rest of a refused response until it holds expected (or the socket ends). */
  private static String bodyContaining(Socket s, String expected) throws IOException {
    s.setSoTimeout(10_000);
    byte[] buffer = new byte[4096];
    StringBuilder text = new StringBuilder();
    int n;
    while (!text.toString().contains(expected) && (n = s.getInputStream().read(buffer)) >= 0) {
      text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
    }
    return text.toString();
  }

  private void awaitSubscribers(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (stream.clientCount() != n && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(stream.clientCount()).isEqualTo(n);
  }
}
