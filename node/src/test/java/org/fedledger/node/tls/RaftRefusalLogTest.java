package org.fedledger.node.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.fedledger.node.FedledgerNode;
import org.fedledger.node.config.HostPort;
import org.fedledger.node.config.NetworkInitializer;
import org.fedledger.node.config.NodeConfig;
import org.fedledger.node.testing.TestNetworks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Raft port of a validator made as {@code fedledger init} makes it refuses, at the handshake, a
 * plaintext connection, a peer with no certificate and a member's (not a validator's) certificate,
 * and logs one line of its own for each: from where, and why.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RaftRefusalLogTest {
  private static final byte[] HTTP2_PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  @TempDir static Path dir;
  static NetworkCertificates.Written tls;
  static FedledgerNode node;
  static int raftPort;
  static PrintStream originalErr;
  static final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @BeforeAll
  static void startOneSecuredValidator() throws Exception {
    // slf4j-simple writes to whatever System.err is when it logs: keep a copy of it.
    originalErr = System.err;
    System.setErr(new PrintStream(new Tee(originalErr, log), true, StandardCharsets.UTF_8));
    NetworkInitializer.Network net = TestNetworks.create(dir.resolve("net"), "refusals", 1, 0, 1);
    tls = TestNetworks.secure(net, ApiAccess.MEMBERS);
    Path config = net.configFiles().get(0);
    raftPort = HostPort.parse(NodeConfig.load(config).raftAddress()).port();
    node = FedledgerNode.start(config);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    System.setErr(originalErr);
  }

  @Test
  void aPlaintextConnectionIsLoggedWithWhereItCameFrom() throws Exception {
    int from;
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), raftPort)) {
      from = s.getLocalPort();
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      out.write(HTTP2_PREFACE);
      out.flush();
      readUntilClosed(s);
    }

    assertThat(awaitLine("from 127.0.0.1:" + from + ": "))
        .contains("TLS: Raft refused a connection from 127.0.0.1:" + from)
        .contains("it spoke plaintext, not TLS");
  }

  @Test
  void aPeerWithoutCertificateIsLoggedWithWhereItCameFrom() throws Exception {
    SSLContext anonymous =
        TlsIdentity.anonymous(tls.ca().caFile()).sslContext("client", NodeTls.SERVERS);

    int from = handshakeAndSpeak(anonymous);

    assertThat(awaitLine("from 127.0.0.1:" + from + ": "))
        .contains("TLS: Raft refused a connection from 127.0.0.1:" + from)
        .contains("it presented no certificate");
  }

  @Test
  void aMembersCertificateIsLoggedOnceWithWhoseItIsAndWhereItCameFrom() throws Exception {
    Path cert = tls.ca().dir().resolve("mallory.pem");
    Path key = tls.ca().dir().resolve("mallory-key.pem");
    tls.ca()
        .issue(
            CertificateRequest.builder()
                .setName("mallory")
                .setRole(Role.MEMBER)
                .setNotBefore(Instant.now())
                .build(),
            cert,
            key);
    TlsIdentity member = TlsIdentity.load(cert, key, tls.ca().caFile(), tls.ca().crlFile());

    int from = handshakeAndSpeak(member.sslContext("client", NodeTls.SERVERS));

    assertThat(awaitLine("from 127.0.0.1:" + from + ": "))
        .contains("TLS: Raft refused a connection from 127.0.0.1:" + from)
        .contains("client certificate mallory (member")
        .contains("its role is member, and this port accepts [validator]");
    assertThat(captured().lines().filter(l -> l.contains("mallory (member")))
        .as("one line for the refusal, not one more from the trust manager")
        .hasSize(1);
  }

  /**
   * Connects over TLS 1.3 and sends gRPC's first bytes: the server judges a client's certificate
   * after the client's last flight. Returns the local port the server sees.
   */
  private static int handshakeAndSpeak(SSLContext ctx) throws IOException {
    try (SSLSocket s =
        (SSLSocket)
            ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), raftPort)) {
      int from = s.getLocalPort();
      s.setSoTimeout(5_000);
      s.setEnabledProtocols(new String[] {TlsIdentity.PROTOCOL});
      try {
        s.startHandshake();
        s.getOutputStream().write(HTTP2_PREFACE);
        s.getOutputStream().flush();
        readUntilClosed(s);
      } catch (IOException refused) {
        // expected: the server ends the handshake with an alert
      }
      return from;
    }
  }

  private static void readUntilClosed(Socket s) {
    try {
      while (s.getInputStream().read() != -1) {
        // drain whatever comes before the close
      }
    } catch (IOException closed) {
      // reset: refused
    }
  }

  private static String captured() {
    synchronized (log) {
      return log.toString(StandardCharsets.UTF_8);
    }
  }

  /** The first captured log line containing text, waiting up to 10 s for it. */
  private static String awaitLine(String text) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : captured().lines().toList()) {
        if (line.contains(text)) {
          return line;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no log line containing '" + text + "' in:\n" + captured());
  }

  /** Writes to the real stderr and to a buffer the test reads. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final ByteArrayOutputStream second;

    Tee(OutputStream first, ByteArrayOutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws IOException {
      first.write(b);
      synchronized (second) {
        second.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      first.write(b, off, len);
      synchronized (second) {
        second.write(b, off, len);
      }
    }

    @Override
    public void flush() throws IOException {
      first.flush();
    }
  }
}
