package org.fedledger.node.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Sha256;
import org.fedledger.node.FedledgerNode;
import org.fedledger.node.blob.BlobClient;
import org.fedledger.node.blob.BlobStore;
import org.fedledger.node.config.HostPort;
import org.fedledger.node.config.NetworkInitializer;
import org.fedledger.node.config.NodeConfig;
import org.fedledger.node.config.TlsSettings;
import org.fedledger.node.keys.InsecureKeyFileException;
import org.fedledger.node.keys.KeyFile;
import org.fedledger.node.testing.TestNetworks;
import org.fedledger.node.testing.Transfers;
import org.fedledger.testkit.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real validator nodes made as {@code fedledger init} makes them, every port TLS: Raft between
 * them with mutual TLS, the API and the blob servers over HTTPS. Node 0's API admits members only,
 * node 1's is public (read-only without a certificate). Each refusal happens at the handshake.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecuredNetworkTest {
  @TempDir static Path dir;
  static NetworkInitializer.Network net;
  static NetworkCertificates.Written tls;
  static TlsIdentity admin;
  static final List<FedledgerNode> nodes = new ArrayList<>();

  @BeforeAll
  static void startSecuredNetwork() throws Exception {
    List<Integer> ports = FreePorts.distinct(6);
    net =
        NetworkInitializer.initialize(
            new NetworkInitializer.Request(
                dir.resolve("net"),
                "secured",
                2,
                1,
                1_000_000,
                i ->
                    new NetworkInitializer.Ports(
                        ports.get(3 * i), ports.get(3 * i + 1), ports.get(3 * i + 2)),
                new NodeConfig.BlockParams(1000, 4 * 1024 * 1024, 20),
                1_700_000_000_000L));
    for (Path c : net.configFiles()) {
      NodeConfig.load(c).withTuning(new NodeConfig.Tuning(300L, null, null)).save(c);
    }
    tls = TestNetworks.secure(net, ApiAccess.MEMBERS);
    Path publicNode = net.configFiles().get(1);
    NodeConfig c1 = NodeConfig.load(publicNode);
    TlsSettings t = c1.tls();
    c1.withTls(new TlsSettings(t.certFile(), t.keyFile(), t.caFile(), t.crlFile(), "public"))
        .save(publicNode);
    admin =
        TlsIdentity.load(tls.adminCert(), tls.adminKey(), tls.ca().caFile(), tls.ca().crlFile());
    for (Path c : net.configFiles()) {
      nodes.add(FedledgerNode.start(c));
    }
  }

  @AfterAll
  static void stop() {
    nodes.forEach(FedledgerNode::close);
  }

  private static String api(int node) {
    return "https://127.0.0.1:" + nodes.get(node).apiPort();
  }

  private static HttpClient client(TlsIdentity id) {
    return HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .sslContext(id.sslContext("client", NodeTls.SERVERS))
        .build();
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static TlsIdentity member(String name) throws IOException {
    Path cert = tls.ca().dir().resolve(name + ".pem");
    Path key = tls.ca().dir().resolve(name + "-key.pem");
    tls.ca()
        .issue(
            CertificateRequest.builder()
                .setName(name)
                .setRole(Role.MEMBER)
                .setNotBefore(Instant.now())
                .build(),
            cert,
            key);
    return TlsIdentity.load(cert, key, tls.ca().caFile(), tls.ca().crlFile());
  }

  private static TlsIdentity nodeIdentity(int node) throws IOException {
    Path d = net.configFiles().get(node).getParent();
    return TlsIdentity.load(
        d.resolve(NetworkCertificates.NODE_CERT),
        d.resolve(NetworkCertificates.NODE_KEY),
        tls.ca().caFile(),
        tls.ca().crlFile());
  }

  @Test
  void raftReplicatesOverMutualTlsAndTheAdminSubmitsOverHttps() throws Exception {
    Ed25519KeyPair adminKey = KeyFile.load(net.adminKeyFile());
    Ed25519KeyPair to = Ed25519KeyPair.generate();
    byte[] tx =
        Transfers.transfer("secured", adminKey, 0, to.publicKey().address(), 77).toByteArray();
    HttpClient http = client(admin);

    HttpResponse<String> submitted =
        http.send(
            HttpRequest.newBuilder(URI.create(api(0) + "/v1/transactions"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(tx))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
    // Both validators apply it: the block went through Raft, between TLS peers only.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String account = "/v1/accounts/" + to.publicKey().address().toHex();
    String body0 = "";
    String body1 = "";
    while (System.nanoTime() < deadline) {
      body0 = get(http, api(0) + account).body();
      body1 = get(http, api(1) + account).body();
      if (body0.contains("\"balance\":77") && body1.contains("\"balance\":77")) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(body0).contains("\"balance\":77");
    assertThat(body1).contains("\"balance\":77");
  }

  @Test
  void membersApiRefusesAClientWithoutCertificateAtTheHandshake() throws IOException {
    HttpClient anonymous = client(TlsIdentity.anonymous(tls.ca().caFile()));

    assertThatThrownBy(() -> get(anonymous, api(0) + "/v1/status")).isInstanceOf(IOException.class);
  }

  @Test
  void apiRefusesAValidatorCertificateUsedAsClient() throws IOException {
    HttpClient validator = client(nodeIdentity(1));

    assertThatThrownBy(() -> get(validator, api(0) + "/v1/status")).isInstanceOf(IOException.class);
  }

  @Test
  void apiRefusesACertificateOfAnotherCa() throws Exception {
    CaDirectory other = CaDirectory.create(dir.resolve("other-ca"), "intruders", Instant.now());
    Path cert = other.dir().resolve("mallory.pem");
    Path key = other.dir().resolve("mallory-key.pem");
    other.issue(
        CertificateRequest.builder()
            .setName("mallory")
            .setRole(Role.MEMBER)
            .setNotBefore(Instant.now())
            .build(),
        cert,
        key);
    TlsIdentity mallory = TlsIdentity.load(cert, key, other.caFile(), other.crlFile());
    // Mallory shows her certificate whatever issuers the server asks for, and trusts our CA so
    // as to get that far: our node's trust manager must be what refuses her.
    SSLContext ctx = SSLContext.getInstance(TlsIdentity.PROTOCOL);
    ctx.init(
        new javax.net.ssl.KeyManager[] {new ShowAnyway(mallory)},
        new javax.net.ssl.TrustManager[] {admin.trustManager("client", NodeTls.SERVERS)},
        null);
    HttpClient http = HttpClient.newBuilder().sslContext(ctx).build();

    assertThatThrownBy(() -> get(http, api(0) + "/v1/status")).isInstanceOf(IOException.class);
  }

  /** A client key manager that presents its certificate even to a server asking for another CA. */
  private static final class ShowAnyway extends javax.net.ssl.X509ExtendedKeyManager {
    private final TlsIdentity id;

    ShowAnyway(TlsIdentity id) {
      this.id = id;
    }

    @Override
    public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
      return new String[] {"own"};
    }

    @Override
    public String chooseClientAlias(
        String[] keyType, java.security.Principal[] issuers, Socket socket) {
      return "own";
    }

    @Override
    public String chooseEngineClientAlias(
        String[] keyType, java.security.Principal[] issuers, javax.net.ssl.SSLEngine engine) {
      return "own";
    }

    @Override
    public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(
        String keyType, java.security.Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public java.security.cert.X509Certificate[] getCertificateChain(String alias) {
      return new java.security.cert.X509Certificate[] {id.own().certificate()};
    }

    @Override
    public java.security.PrivateKey getPrivateKey(String alias) {
      return id.own().key();
    }
  }

  @Test
  void revokedMemberIsRefusedByTheRunningNodeAtItsNextHandshake() throws Exception {
    TlsIdentity carol = member("carol");
    assertThat(get(client(carol), api(0) + "/v1/status").statusCode()).isEqualTo(200);

    tls.ca().revoke(carol.own().certificate(), Instant.now());

    assertThatThrownBy(() -> get(client(carol), api(0) + "/v1/status"))
        .isInstanceOf(IOException.class);
    assertThat(get(client(admin), api(0) + "/v1/status").statusCode()).isEqualTo(200);
  }

  @Test
  void publicApiServesReadsWithoutCertificateButNoWrites() throws Exception {
    HttpClient anonymous = client(TlsIdentity.anonymous(tls.ca().caFile()));

    assertThat(get(anonymous, api(1) + "/v1/status").statusCode()).isEqualTo(200);
    HttpResponse<String> write =
        anonymous.send(
            HttpRequest.newBuilder(URI.create(api(1) + "/v1/transactions"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1}))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(write.statusCode()).isEqualTo(403);
    assertThat(write.body()).contains("public for reading only");
    // A validator's certificate is still refused there: showing one is checked like any other.
    assertThatThrownBy(() -> get(client(nodeIdentity(0)), api(1) + "/v1/status"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void plaintextIsRefusedOnEveryPort() throws Exception {
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    for (int i = 0; i < nodes.size(); i++) {
      int api = nodes.get(i).apiPort();
      int blobs = nodes.get(i).blobPort();
      assertThatThrownBy(() -> get(plain, "http://127.0.0.1:" + api + "/v1/status"))
          .isInstanceOf(IOException.class);
      assertThatThrownBy(() -> get(plain, "http://127.0.0.1:" + blobs + "/v1/blobs/00"))
          .isInstanceOf(IOException.class);
      assertThat(plaintextHttp2Answer(raftPort(i)))
          .as("a plaintext gRPC connection to node %d's Raft port gets no HTTP/2 answer", i)
          .isEqualTo(-1);
    }
  }

  @Test
  void raftRefusesAMembersCertificate() throws Exception {
    SSLContext ctx = admin.sslContext("client", NodeTls.SERVERS);
    IOException failure = null;
    try (SSLSocket s =
        (SSLSocket)
            ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), raftPort(0))) {
      s.setSoTimeout(10_000);
      s.setEnabledProtocols(new String[] {"TLSv1.3"});
      s.startHandshake();
      // TLS 1.3: the server judges the client's certificate after the client's last flight.
      s.getOutputStream()
          .write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      if (s.getInputStream().read() == -1) {
        failure = new IOException("closed");
      }
    } catch (IOException e) {
      failure = e;
    }
    assertThat(failure).as("the Raft port accepted an admin's certificate").isNotNull();
  }

  @Test
  void blobServerServesAMemberAndRefusesAClientWithoutCertificate() throws Exception {
    TlsIdentity dave = member("dave");
    Path store = Files.createDirectories(dir.resolve("dave-blobs"));
    String blobs = "https://127.0.0.1:" + nodes.get(0).blobPort();
    // Past the handshake, the chain's own rule answers: no job refers to this blob.
    assertThatThrownBy(
            () ->
                new BlobClient(
                        Ed25519KeyPair.generate(),
                        new BlobStore(store),
                        Clock.systemUTC(),
                        dave.sslContext("client", NodeTls.SERVERS))
                    .fetch(blobs, Sha256.hash(new byte[] {1})))
        .hasMessageContaining("no job on the chain refers to blob");
    assertThatThrownBy(
            () ->
                new BlobClient(
                        Ed25519KeyPair.generate(),
                        new BlobStore(store),
                        Clock.systemUTC(),
                        TlsIdentity.anonymous(tls.ca().caFile())
                            .sslContext("client", NodeTls.SERVERS))
                    .fetch(blobs, Sha256.hash(new byte[] {1})))
        .hasMessageContaining("cannot fetch blob");
  }

  @Test
  void nodeWhoseTlsKeyOthersCanReadRefusesToStart() throws Exception {
    NetworkInitializer.Network lone = TestNetworks.create(dir.resolve("lone"), "lone", 1, 0, 1);
    TestNetworks.secure(lone, ApiAccess.MEMBERS);
    Path config = lone.configFiles().get(0);
    Path key = config.resolveSibling(NetworkCertificates.NODE_KEY);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));

    assertThatThrownBy(() -> FedledgerNode.start(config))
        .isInstanceOf(InsecureKeyFileException.class)
        .hasMessageContaining(key.toString());
  }

  private static int raftPort(int node) throws IOException {
    return HostPort.parse(NodeConfig.load(net.configFiles().get(node)).raftAddress()).port();
  }

  /**
   * Sends an HTTP/2 client preface in plaintext and returns the first byte answered, -1 if none.
   */
  private static int plaintextHttp2Answer(int port) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // an empty SETTINGS frame
      out.flush();
      InputStream in = s.getInputStream();
      try {
        return in.read();
      } catch (IOException e) {
        return -1; // reset: refused
      }
    }
  }
}
