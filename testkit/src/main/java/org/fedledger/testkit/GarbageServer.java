package org.fedledger.testkit;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A faulty peer: an HTTP server on loopback that answers every GET with the same few bytes, so that
 * whatever hash a client asked for, the answer cannot hash to it. Announce its {@link #url} where a
 * member should announce its own server to test that the others detect and survive the fault.
 */
public final class GarbageServer implements AutoCloseable {
  private static final byte[] GARBAGE = {1, 2, 3, 4};

  private final HttpServer server;

  private GarbageServer(HttpServer server) {
    this.server = server;
  }

  /** Starts on a free loopback port. */
  public static GarbageServer start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/",
          exchange -> {
            try (exchange) {
              exchange.sendResponseHeaders(200, GARBAGE.length);
              try (OutputStream body = exchange.getResponseBody()) {
                body.write(GARBAGE);
              }
            }
          });
      server.start();
      return new GarbageServer(server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a server on loopback", e);
    }
  }

  /** Its base URL, {@code http://127.0.0.1:PORT}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
