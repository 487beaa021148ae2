package org.fedledger.cli.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A link proxy between an echo server and a client: forwarding, cutting, healing, slowing. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LinkProxyTest {
  private ServerSocket echo;
  private LinkProxy proxy;

  @BeforeEach
  void startEchoServerBehindAProxy() throws IOException {
    echo = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .start(
            () -> {
              while (!echo.isClosed()) {
                try {
                  Socket s = echo.accept();
                  Thread.ofVirtual().start(() -> echoAll(s));
                } catch (IOException e) {
                  return;
                }
              }
            });
    proxy =
        LinkProxy.start(
            "test",
            new InetSocketAddress(NemesisCluster.proxyAddress(7, 8), echo.getLocalPort()),
            new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), echo.getLocalPort()));
  }

  @AfterEach
  void close() throws IOException {
    proxy.close();
    echo.close();
  }

  private static void echoAll(Socket s) {
    try (s) {
      s.getInputStream().transferTo(s.getOutputStream());
    } catch (IOException e) {
      // the client went away
    }
  }

  private Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(NemesisCluster.proxyAddress(7, 8), echo.getLocalPort()), 2_000);
    s.setSoTimeout(1_000);
    return s;
  }

  private static boolean echoes(Socket s, byte b) throws IOException {
    s.getOutputStream().write(b);
    s.getOutputStream().flush();
    InputStream in = s.getInputStream();
    try {
      return in.read() == (b & 0xff);
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  @Test
  void anOpenLinkForwardsBothWays() throws IOException {
    try (Socket s = connect()) {
      assertThat(echoes(s, (byte) 1)).isTrue();
      assertThat(echoes(s, (byte) 2)).isTrue();
    }
  }

  @Test
  void aCutLinkStallsOpenAndNewConnectionsAndHealingDeliversWhatWaited() throws IOException {
    try (Socket open = connect()) {
      assertThat(echoes(open, (byte) 1)).isTrue();
      proxy.cut();
      assertThat(proxy.isCut()).isTrue();
      assertThat(echoes(open, (byte) 2)).as("nothing passes a cut link").isFalse();
      try (Socket fresh = connect()) {
        assertThat(echoes(fresh, (byte) 3)).as("nor on a new connection").isFalse();
        proxy.heal();
        fresh.setSoTimeout(5_000);
        assertThat(fresh.getInputStream().read()).as("the byte that waited").isEqualTo(3);
      }
      open.setSoTimeout(5_000);
      assertThat(open.getInputStream().read()).isEqualTo(2);
      assertThat(echoes(open, (byte) 4)).isTrue();
    }
  }

  @Test
  void aSlowLinkDelaysEachChunkAndHealingRemovesTheDelay() throws IOException {
    try (Socket s = connect()) {
      s.setSoTimeout(5_000);
      proxy.slow(300);
      long start = System.nanoTime();
      assertThat(echoes(s, (byte) 1)).isTrue();
      // Out and back: two chunks, each held 300 ms.
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(600);
      proxy.heal();
      assertThat(echoes(s, (byte) 2)).isTrue();
    }
  }
}
