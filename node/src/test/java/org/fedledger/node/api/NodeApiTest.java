package org.fedledger.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.proto.state.StateProofMessage;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.ledger.state.StateProof;
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

/** The REST API end to end on a real one-validator network. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NodeApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAIN = "api-test";
  private static final long BALANCE = 1_000_000;

  @TempDir static Path dir;
  static FedledgerNode node;
  static HttpClient http;
  static String base;
  static Ed25519KeyPair alice;
  static Ed25519KeyPair bob;

  record Reply(int status, JsonNode json, String body) {}

  @BeforeAll
  static void startNode() throws Exception {
    NetworkInitializer.Network net = TestNetworks.create(dir.resolve("net"), CHAIN, 1, 2, BALANCE);
    alice = KeyFile.load(net.accountKeyFiles().get(0));
    bob = KeyFile.load(net.accountKeyFiles().get(1));
    node = FedledgerNode.start(net.configFiles().get(0));
    base = "http://127.0.0.1:" + node.apiPort();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
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

  static Reply get(String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    return reply(r);
  }

  static Reply post(String path, String contentType, byte[] body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return reply(r);
  }

  static Reply submit(SignedTransaction tx) throws Exception {
    return post("/v1/transactions", "application/octet-stream", tx.toByteArray());
  }

  private static Reply reply(HttpResponse<String> r) {
    JsonNode json;
    try {
      json = JSON.readTree(r.body());
    } catch (IOException e) {
      json = null;
    }
    return new Reply(r.statusCode(), json, r.body());
  }

  static JsonNode waitForTx(String hash) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      Reply r = get("/v1/transactions/" + hash);
      if (r.status() == 200) {
        return r.json();
      }
      assertThat(r.status()).isEqualTo(404);
      Thread.sleep(20);
    }
    throw new AssertionError("transaction " + hash + " was not committed in time");
  }

  static JsonNode account(Ed25519KeyPair key) throws Exception {
    Reply r = get("/v1/accounts/" + key.publicKey().address().toHex());
    assertThat(r.status()).isEqualTo(200);
    return r.json();
  }

  @Test
  void transferIsCommittedAndVisibleInBlockTxAccountAndProof() throws Exception {
    long aliceNonce = account(alice).get("nonce").asLong();
    long bobBefore = account(bob).get("balance").asLong();
    SignedTransaction tx =
        Transfers.transfer(CHAIN, alice, aliceNonce, bob.publicKey().address(), 250);

    Reply accepted = submit(tx);
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    String hash = accepted.json().get("hash").asText();
    assertThat(hash).isEqualTo(TransactionCodec.hashOf(tx).toHex());

    JsonNode record = waitForTx(hash);
    assertThat(record.get("receipt").get("status").asText()).isEqualTo("OK");
    assertThat(record.get("tx").get("sender").asText())
        .isEqualTo(alice.publicKey().address().toHex());
    assertThat(record.get("tx").get("message").get("amount").asText()).isEqualTo("250");
    long height = record.get("height").asLong();

    Reply block = get("/v1/blocks/" + height);
    assertThat(block.status()).isEqualTo(200);
    assertThat(block.json().get("height").asLong()).isEqualTo(height);
    byte[] header = Base64.getDecoder().decode(block.json().get("encodedHeader").asText());
    assertThat(org.fedledger.core.hash.Sha256.hash(header).toHex())
        .isEqualTo(block.json().get("hash").asText());
    assertThat(block.json().get("transactions").findValuesAsText("hash")).contains(hash);
    Reply byHash = get("/v1/blocks/hash/" + block.json().get("hash").asText());
    assertThat(byHash.status()).isEqualTo(200);
    assertThat(byHash.json().get("height").asLong()).isEqualTo(height);
    assertThat(get("/v1/blocks/latest").json().get("height").asLong())
        .isGreaterThanOrEqualTo(height);

    assertThat(account(alice).get("nonce").asLong()).isEqualTo(aliceNonce + 1);
    assertThat(account(bob).get("balance").asLong()).isEqualTo(bobBefore + 250);

    // The proof of bob's balance verifies against the state root of the header it names.
    Reply proof = get("/v1/state/proof?account=" + bob.publicKey().address().toHex());
    assertThat(proof.status()).as(proof.body()).isEqualTo(200);
    JsonNode p = proof.json();
    assertThat(p.get("present").asBoolean()).isTrue();
    assertThat(p.get("verified").asBoolean()).isTrue();
    Reply proofHeader = get("/v1/blocks/" + p.get("height").asLong());
    Hash root = Hash.fromHex(proofHeader.json().get("stateRoot").asText());
    StateProof decoded =
        StateProof.fromMessage(
            StateProofMessage.parseFrom(Base64.getDecoder().decode(p.get("encoded").asText())));
    assertThat(StateProof.verify(decoded, decoded.key(), root)).isTrue();
    assertThat(java.nio.ByteBuffer.wrap(decoded.value()).getLong())
        .isEqualTo(account(bob).get("balance").asLong());
    // A tampered root does not verify.
    assertThat(StateProof.verify(decoded, decoded.key(), Hash.ZERO)).isFalse();

    Reply status = get("/v1/status");
    assertThat(status.json().get("chainId").asText()).isEqualTo(CHAIN);
    assertThat(status.json().get("leader").asBoolean()).isTrue();
    assertThat(status.json().get("validators")).hasSize(1);
    assertThat(status.json().get("faults")).isEmpty();
    assertThat(status.json().get("height").asLong()).isGreaterThanOrEqualTo(height);
  }

  @Test
  void jsonSubmissionAndBatchAreAccepted() throws Exception {
    long nonce = account(bob).get("nonce").asLong();
    Address to = alice.publicKey().address();
    SignedTransaction first = Transfers.transfer(CHAIN, bob, nonce, to, 1);
    Reply one =
        post(
            "/v1/transactions",
            "application/json",
            JSON.writeValueAsBytes(
                Map.of("tx", Base64.getEncoder().encodeToString(first.toByteArray()))));
    assertThat(one.status()).as(one.body()).isEqualTo(202);

    SignedTransaction second = Transfers.transfer(CHAIN, bob, nonce + 1, to, 1);
    SignedTransaction bad = Transfers.transfer("other-chain", bob, nonce + 2, to, 1);
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    second.writeDelimitedTo(body);
    bad.writeDelimitedTo(body);
    Reply batch = post("/v1/transactions/batch", "application/octet-stream", body.toByteArray());
    assertThat(batch.status()).as(batch.body()).isEqualTo(200);
    assertThat(batch.json().get("accepted").asInt()).isEqualTo(1);
    assertThat(batch.json().get("rejected").asInt()).isEqualTo(1);
    assertThat(batch.json().get("results").get(1).get("error").get("code").asText())
        .isEqualTo("WRONG_CHAIN");
    waitForTx(TransactionCodec.hashOf(second).toHex());
    assertThat(account(bob).get("nonce").asLong()).isEqualTo(nonce + 2);
  }

  @Test
  void everyBadTransactionIsRefusedWithItsStatusAndLeavesStateUnchanged() throws Exception {
    JsonNode before = account(alice);
    long nonce = before.get("nonce").asLong();
    Address to = bob.publicKey().address();

    assertRefused(
        post("/v1/transactions", "application/octet-stream", new byte[] {1, 2, 3, 4, 5}),
        400,
        "MALFORMED");
    assertRefused(
        post(
            "/v1/transactions",
            "application/json",
            "{\"tx\": \"@@not base64@@\"}".getBytes(StandardCharsets.UTF_8)),
        400,
        "MALFORMED");
    assertRefused(
        post("/v1/transactions", "application/json", "{nope".getBytes(StandardCharsets.UTF_8)),
        400,
        "MALFORMED");

    SignedTransaction good = Transfers.transfer(CHAIN, alice, nonce, to, 5);
    byte[] sig = good.getSignature().toByteArray();
    sig[0] ^= 1;
    assertRefused(
        submit(good.toBuilder().setSignature(ByteString.copyFrom(sig)).build()),
        401,
        "BAD_SIGNATURE");
    // Signed by bob but claiming alice's key.
    assertRefused(
        submit(
            good.toBuilder()
                .setSignature(ByteString.copyFrom(bob.sign(good.getBody().toByteArray())))
                .build()),
        401,
        "BAD_SIGNATURE");
    assertRefused(
        submit(Transfers.transfer("wrong-chain", alice, nonce, to, 5)), 400, "WRONG_CHAIN");
    assertRefused(
        submit(Transfers.transfer(CHAIN, alice, nonce + 10_000, to, 5)), 409, "BAD_NONCE");
    if (nonce > 0) {
      assertRefused(submit(Transfers.transfer(CHAIN, alice, nonce - 1, to, 5)), 409, "BAD_NONCE");
    }
    assertRefused(
        submit(Transfers.transfer(CHAIN, alice, nonce, to, BALANCE * 100)),
        422,
        "INSUFFICIENT_BALANCE");
    TxBody.Builder body = Transfers.body(CHAIN, alice, nonce, to, 5);
    assertRefused(
        submit(TransactionCodec.sign(body.clone().setModule("casino").build(), alice)),
        422,
        "UNKNOWN_MODULE");
    assertRefused(
        submit(TransactionCodec.sign(body.clone().setMessageType("Steal").build(), alice)),
        422,
        "UNKNOWN_MESSAGE");
    byte[] huge = new byte[TransactionCodec.MAX_TX_BYTES + 1];
    assertRefused(
        submit(
            TransactionCodec.sign(
                body.clone().setPayload(ByteString.copyFrom(huge)).build(), alice)),
        413,
        "OVERSIZE");

    // A committed transaction submitted again is a replay.
    SignedTransaction once = Transfers.transfer(CHAIN, alice, nonce, to, 5);
    assertThat(submit(once).status()).isEqualTo(202);
    waitForTx(TransactionCodec.hashOf(once).toHex());
    assertRefused(submit(once), 409, "DUPLICATE");
    assertRefused(submit(Transfers.transfer(CHAIN, alice, nonce, to, 6)), 409, "BAD_NONCE");

    JsonNode after = account(alice);
    assertThat(after.get("nonce").asLong()).isEqualTo(nonce + 1);
    assertThat(after.get("balance").asLong()).isEqualTo(before.get("balance").asLong() - 5);

    Reply metrics = get("/metrics");
    assertThat(metrics.body())
        .contains("fedledger_admission_rejections_total{reason=\"BAD_SIGNATURE\"} 2.0")
        .contains("fedledger_admission_rejections_total{reason=\"UNKNOWN_MODULE\"} 1.0");
  }

  private static void assertRefused(Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.json().get("error").get("code").asText()).as(reply.body()).isEqualTo(code);
    assertThat(reply.json().get("error").get("message").asText()).isNotBlank();
  }

  @Test
  void badPathParametersAre400AndUnknownThings404() throws Exception {
    assertRefused(get("/v1/blocks/-1"), 400, "BAD_REQUEST");
    assertRefused(get("/v1/blocks/abc"), 400, "BAD_REQUEST");
    assertRefused(get("/v1/blocks/hash/xyz"), 400, "BAD_REQUEST");
    assertRefused(get("/v1/transactions/" + "zz".repeat(32)), 400, "BAD_REQUEST");
    assertRefused(get("/v1/accounts/1234"), 400, "BAD_REQUEST");
    assertRefused(get("/v1/state/proof"), 400, "BAD_REQUEST");
    assertRefused(get("/v1/state/proof?key=nothex"), 400, "BAD_REQUEST");
    assertRefused(get("/v1/blocks/999999999"), 404, "NOT_FOUND");
    assertRefused(get("/v1/blocks/hash/" + "ab".repeat(32)), 404, "NOT_FOUND");
    assertRefused(get("/v1/transactions/" + "ab".repeat(32)), 404, "NOT_FOUND");
    assertRefused(get("/v1/nothing-here"), 404, "NOT_FOUND");
    // An unknown account simply has nothing: balance 0, nonce 0, and a proof of absence.
    String stranger = Ed25519KeyPair.generate().publicKey().address().toHex();
    assertThat(get("/v1/accounts/" + stranger).json().get("balance").asLong()).isZero();
    JsonNode absent =
        get("/v1/state/proof?key="
                + HexFormat.of().formatHex("nope".getBytes(StandardCharsets.UTF_8)))
            .json();
    assertThat(absent.get("present").asBoolean()).isFalse();
    assertThat(absent.get("verified").asBoolean()).isTrue();
  }

  @Test
  void eventStreamDeliversABlockEventPerCommittedBlock() throws Exception {
    HttpResponse<Stream<String>> stream =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/v1/events"))
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    Iterator<String> lines = stream.body().iterator();
    CompletableFuture<JsonNode> event =
        CompletableFuture.supplyAsync(
            () -> {
              boolean inBlock = false;
              while (lines.hasNext()) {
                String line = lines.next();
                if (line.equals("event: block")) {
                  inBlock = true;
                } else if (inBlock && line.startsWith("data: ")) {
                  inBlock = false;
                  try {
                    // Blocks holding only state-root votes may come first; wait for ours.
                    JsonNode data = JSON.readTree(line.substring(6));
                    if (data.get("txCount").asInt() > 0) {
                      return data;
                    }
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                }
              }
              throw new IllegalStateException("stream ended");
            });
    // Wait until the subscription is registered, then make a block.
    Thread.sleep(200);
    long nonce = account(bob).get("nonce").asLong();
    SignedTransaction tx = Transfers.transfer(CHAIN, bob, nonce, alice.publicKey().address(), 3);
    assertThat(submit(tx).status()).isEqualTo(202);
    JsonNode block = event.get(20, TimeUnit.SECONDS);
    stream.body().close();
    assertThat(block.get("height").asLong()).isPositive();
    assertThat(block.get("hash").asText()).hasSize(64);
    assertThat(block.get("stateRoot").asText()).hasSize(64);
    assertThat(block.get("txCount").asInt()).isPositive();
    Reply same = get("/v1/blocks/" + block.get("height").asLong());
    assertThat(same.json().get("hash").asText()).isEqualTo(block.get("hash").asText());
  }

  @Test
  void openApiDocumentsEveryRoute() throws Exception {
    Reply doc = get("/openapi.json");
    assertThat(doc.status()).isEqualTo(200);
    assertThat(doc.json().get("openapi").asText()).startsWith("3.1");
    JsonNode paths = doc.json().get("paths");
    assertThat(node.api().routes()).hasSizeGreaterThanOrEqualTo(12);
    for (Route route : node.api().routes()) {
      assertThat(paths.has(route.path())).as("OpenAPI documents " + route.path()).isTrue();
      assertThat(paths.get(route.path()).has(route.method().toLowerCase(java.util.Locale.ROOT)))
          .as("OpenAPI documents " + route)
          .isTrue();
    }
    // And documents nothing that is not served, but for predict: a node without a blob store (as
    // this one) serves no models; PaidPredictionTest checks it on a node that does.
    assertThat(node.serving()).isNull();
    assertThat(paths.has("/v1/models/{id}/predict")).isTrue();
    assertThat(paths.size()).isEqualTo(node.api().routes().size() + 1);
  }

  @Test
  void metricsExposeTheNodeCounters() throws Exception {
    Reply metrics = get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("fedledger_blocks_committed_total")
        .contains("fedledger_transactions_committed_total")
        .contains("fedledger_mempool_size")
        .contains("fedledger_admission_rejections_total{reason=\"MALFORMED\"}")
        .contains("fedledger_block_commit_latency_seconds")
        .contains("fedledger_chain_height");
  }
}
