package org.fedledger.node.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/** One real TLS handshake over loopback between two contexts; says who failed and why. */
final class Handshake {
  /** The server's failure (null: it accepted) and the client's (null: it accepted). */
  record Outcome(Exception server, Exception client) {
    boolean succeeded() {
      return server == null && client == null;
    }
  }

  private Handshake() {}

  static Outcome run(SSLContext server, SSLContext client, boolean needClientAuth)
      throws IOException, InterruptedException, TimeoutException {
    try (SSLServerSocket listener =
        (SSLServerSocket)
            server
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      listener.setNeedClientAuth(needClientAuth);
      CompletableFuture<Exception> serverSide =
          CompletableFuture.supplyAsync(
              () -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                  s.startHandshake();
                  // TLS 1.3 sends the client's certificate after the client thinks it is done:
                  // reading forces the server to judge it before we call the outcome.
                  s.getOutputStream().write(1);
                  s.getOutputStream().flush();
                  return null;
                } catch (IOException e) {
                  return e;
                }
              });
      Exception clientFailure = null;
      try (SSLSocket c =
          (SSLSocket)
              client
                  .getSocketFactory()
                  .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
        c.startHandshake();
        if (c.getInputStream().read() != 1) {
          throw new IOException("the server closed the connection");
        }
      } catch (IOException e) {
        clientFailure = e;
      }
      try {
        return new Outcome(serverSide.get(10, TimeUnit.SECONDS), clientFailure);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
