package org.fedledger.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.node.FedledgerNode;
import org.fedledger.node.config.NetworkInitializer;
import org.fedledger.node.keys.KeyFile;
import org.fedledger.node.testing.TestNetworks;
import org.fedledger.node.testing.Transfers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A junk flood mounted over the REST API of a real one-validator node (issue #21): the flooder
 * submits from 127.0.0.1, honest clients from other loopback addresses, each keyed by its address
 * as a plaintext node keys its clients.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ApiFloodTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAIN = "flood-test";

  @TempDir static Path dir;
  static FedledgerNode node;
  static String base;
  static Ed25519KeyPair mallory;
  static Ed25519KeyPair alice;
  static Ed25519KeyPair bob;

  record Reply(int status, JsonNode json, HttpResponse<String> raw) {}

  @BeforeAll
  static void startNode() throws Exception {
    NetworkInitializer.Network net =
        TestNetworks.create(dir.resolve("net"), CHAIN, 1, 3, 1_000_000);
    mallory = KeyFile.load(net.accountKeyFiles().get(0));
    alice = KeyFile.load(net.accountKeyFiles().get(1));
    bob = KeyFile.load(net.accountKeyFiles().get(2));
    node = FedledgerNode.start(net.configFiles().get(0));
    base = "http://127.0.0.1:" + node.apiPort();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!node.consensus().isLeader() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(node.consensus().isLeader()).as("one-node group elects itself").isTrue();
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  /** A client whose connections come from the loopback address from (127.0.0.x). */
  private static HttpClient clientFrom(String from) throws IOException {
    return HttpClient.newBuilder()
        .localAddress(InetAddress.getByName(from))
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  private static Reply post(HttpClient http, String path, byte[] body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/octet-stream")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), JSON.readTree(r.body()), r);
  }

  /** count transfers of mallory's with in-window nonces and random signatures. */
  private static List<byte[]> junk(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<byte[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] signature = new byte[64];
      random.nextBytes(signature);
      out.add(
          SignedTransaction.newBuilder()
              .setBody(
                  Transfers.body(
                          CHAIN, mallory, 1 + random.nextInt(63), alice.publicKey().address(), 1)
                      .build()
                      .toByteString())
              .setSignature(ByteString.copyFrom(signature))
              .build()
              .toByteArray());
    }
    return out;
  }

  private static byte[] batch(List<byte[]> txs) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    for (byte[] tx : txs) {
      coded.writeUInt32NoTag(tx.length);
      coded.writeRawBytes(tx);
    }
    coded.flush();
    return out.toByteArray();
  }

  private static double metric(String line) {
    return node.api()
        .metrics()
        .scrape()
        .lines()
        .filter(l -> l.startsWith(line + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(line.length() + 1).trim()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + line));
  }

  private static void awaitCommitted(String hash) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    HttpClient http = HttpClient.newHttpClient();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/v1/transactions/" + hash)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("transaction " + hash + " was not committed in time");
  }

  @Test
  void aFlooderIsHeldThenRefusedWith429UncheckedWhileAnHonestClientIsAdmitted() throws Exception {
    HttpClient flooder = clientFrom("127.0.0.1");
    HttpClient honest = clientFrom("127.0.0.2");
    String badSignatures = "fedledger_admission_rejections_total{reason=\"BAD_SIGNATURE\"}";

    // 4,000 junk signatures: each checked and refused, which spends the budget of 1,000 and 3,000
    // more, 30 s of refill at 100 a second.
    Reply checked = post(flooder, "/v1/transactions/batch", batch(junk(4_000, 1)));
    assertThat(checked.status()).isEqualTo(200);
    assertThat(checked.json().get("rejected").asInt()).isEqualTo(4_000);
    assertThat(checked.json().at("/results/0/error/code").asText()).isEqualTo("BAD_SIGNATURE");
    double verifiedBefore = metric(badSignatures);

    long start = System.nanoTime();
    Reply refused = post(flooder, "/v1/transactions/batch", batch(junk(1_000, 2)));
    long heldMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.json().at("/error/code").asText()).isEqualTo("TOO_MANY_REFUSALS");
    assertThat(refused.raw().headers().firstValueAsLong("Retry-After").orElse(0))
        .as("Retry-After in seconds")
        .isBetween(1L, 30L);
    assertThat(heldMillis).as("the flooder waited for its answer").isGreaterThanOrEqualTo(1_900);
    assertThat(metric(badSignatures))
        .as("the refused batch was never checked")
        .isEqualTo(verifiedBefore);
    assertThat(metric("fedledger_api_throttled_total")).isGreaterThanOrEqualTo(1);

    // Meanwhile an honest client on another address submits, is admitted and committed.
    for (long nonce = 0; nonce < 3; nonce++) {
      Reply ok =
          post(
              honest,
              "/v1/transactions",
              Transfers.transfer(CHAIN, alice, nonce, bob.publicKey().address(), 5).toByteArray());
      assertThat(ok.status()).as(ok.raw().body()).isEqualTo(202);
      awaitCommitted(ok.json().get("hash").asText());
    }
    // And the flooder is still refused: what it sent was never an honest client's debt.
    assertThat(post(flooder, "/v1/transactions", junk(1, 3).get(0)).status()).isEqualTo(429);
  }

  @Test
  void resendsAndNoncesAheadNeverCountAgainstAnHonestClient() throws Exception {
    HttpClient resender = clientFrom("127.0.0.3");
    List<byte[]> txs = new ArrayList<>();
    for (long nonce = 0; nonce < 1_200; nonce++) {
      txs.add(Transfers.transfer(CHAIN, bob, nonce, alice.publicKey().address(), 1).toByteArray());
    }
    byte[] body = batch(txs);

    // Each round refuses at least 1,136 of them (nonces beyond the window of 64, or resent):
    // 4,500 refusals or more in all, four times the budget, none of them counted.
    for (int round = 0; round < 4; round++) {
      Reply r = post(resender, "/v1/transactions/batch", body);
      assertThat(r.status()).as("round %d: %s", round, r.raw().body()).isEqualTo(200);
      assertThat(r.json().get("rejected").asInt()).isGreaterThanOrEqualTo(1_136);
    }
  }
}
