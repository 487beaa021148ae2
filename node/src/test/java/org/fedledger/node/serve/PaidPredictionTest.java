package org.fedledger.node.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.market.Vouchers;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.market.Channel;
import org.fedledger.core.proto.market.OpenChannel;
import org.fedledger.core.proto.market.PublishOffer;
import org.fedledger.core.proto.market.RoyaltyPayment;
import org.fedledger.core.proto.market.Voucher;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.ledger.Ledger;
import org.fedledger.ledger.market.MarketModule;
import org.fedledger.node.ConsensusBackend;
import org.fedledger.node.agent.BlobSource;
import org.fedledger.node.agent.ChainAccess;
import org.fedledger.node.agent.TxSender;
import org.fedledger.node.api.ApiServer;
import org.fedledger.node.blob.BlobClient;
import org.fedledger.node.blob.SignedRequest;
import org.fedledger.node.config.HostPort;
import org.fedledger.node.dashboard.SeededNetwork;
import org.fedledger.node.dashboard.TrainingSeed;
import org.fedledger.node.metrics.NodeMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider serving a model trained on a real two-validator network, over HTTP: paid calls are
 * answered with predictions and a signed receipt, every refusal says why and changes nothing, the
 * owner calls unpaid with a signed request, the claim agent claims and pays royalties, and a
 * restarted provider claims what it answered before it stopped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PaidPredictionTest {
  private static final long PRICE = 10;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  static SeededNetwork net;
  static Ed25519KeyPair sponsor;
  static List<Ed25519KeyPair> owners;
  static Ed25519KeyPair provider;
  static Ed25519KeyPair client;
  static String modelId;
  static Hash channel;
  static Serving serving;
  static ApiServer api;

  @BeforeAll
  static void trainOfferAndOpen() throws Exception {
    net = SeededNetwork.start(dir, 6);
    sponsor = net.accounts.get(0);
    owners = net.accounts.subList(1, 4);
    provider = net.accounts.get(4);
    client = net.accounts.get(5);
    TrainingSeed seed = new TrainingSeed(net);
    seed.registerDatasets("lab", owners);
    Hash job = seed.createJoinStart(sponsor, "lab", owners, 2);
    seed.playRound(job, 1, owners, null);
    seed.playRound(job, 2, owners, null);
    modelId = job.toHex();
    net.commit(
        net.tx(
            sponsor,
            "market",
            "PublishOffer",
            PublishOffer.newBuilder()
                .setModelId(modelId)
                .setPricePerCall(PRICE)
                .addProviders(provider.publicKey().address().toByteString())
                .setProviderFeePpm(200_000)
                .setOwnerSharePpm(300_000)
                .setContributorsSharePpm(500_000)
                .setLicence("apache-2.0")
                .build()));
    channel = open(client, 45);
    startProvider();
  }

  static Hash open(Ed25519KeyPair who, long deposit) throws Exception {
    return open(who, deposit, net.ledger().height() + 10_000);
  }

  static Hash open(Ed25519KeyPair who, long deposit, long expiryHeight) throws Exception {
    SignedTransaction open =
        net.tx(
            who,
            "market",
            "OpenChannel",
            OpenChannel.newBuilder()
                .setModelId(modelId)
                .setProvider(provider.publicKey().address().toByteString())
                .setDeposit(deposit)
                .setExpiryHeight(expiryHeight)
                .build());
    net.commit(open);
    return MarketModule.channelIdOf(TransactionCodec.hashOf(open));
  }

  static void startProvider() throws Exception {
    Ledger ledger = net.ledger();
    serving =
        Serving.builder()
            .setLedger(() -> ledger)
            .setKey(provider)
            .setBlobs(
                new BlobSource(new BlobClient(provider, net.blobs, Clock.systemUTC()), List.of()))
            .setDataDir(dir.resolve("vouchers"))
            .setMeterRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
            .build();
    api =
        new ApiServer(
                new ConsensusBackend(net.node().consensus()), new NodeMetrics(() -> 0, () -> 0))
            .withServing(serving)
            .start(HostPort.parse("127.0.0.1:0"));
  }

  static void stopProvider() {
    api.close();
    serving.close();
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      stopProvider();
    }
    if (net != null) {
      net.close();
    }
  }

  static String voucher(Ed25519KeyPair signer, String chain, Hash ch, long nonce, long amount) {
    Voucher v =
        Voucher.newBuilder()
            .setChainId(chain)
            .setChannelId(ch.toByteString())
            .setNonce(nonce)
            .setAmount(amount)
            .build();
    return Base64.getEncoder().encodeToString(Vouchers.sign(signer, v).toByteArray());
  }

  static String voucher(long nonce, long amount) {
    return voucher(client, SeededNetwork.CHAIN, channel, nonce, amount);
  }

  static final String ROWS = "{\"rows\":[[0.5,-1.0,2.0,0.25],[1,1,1,1]]}";

  static HttpResponse<String> post(String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + api.port() + "/v1/models/" + modelId + "/predict"))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> paid(String voucher) throws Exception {
    return post(ROWS, Map.of(PredictHandler.VOUCHER_HEADER, voucher));
  }

  static JsonNode error(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body()).get("error");
  }

  @Test
  @Order(1)
  void aPaidCallIsAnsweredWithPredictionsAndASignedReceipt() throws Exception {
    HttpResponse<String> r = paid(voucher(0, PRICE));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode answer = JSON.readTree(r.body());
    assertThat(answer.get("predictions")).hasSize(2);
    for (JsonNode p : answer.get("predictions")) {
      double sum = 0;
      int best = 0;
      for (int k = 0; k < 3; k++) {
        double pk = p.get("probabilities").get(k).asDouble();
        sum += pk;
        if (pk > p.get("probabilities").get(best).asDouble()) {
          best = k;
        }
      }
      assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
      assertThat(p.get("label").asInt()).isEqualTo(best);
    }
    Receipts.Receipt receipt = JSON.treeToValue(answer.get("receipt"), Receipts.Receipt.class);
    assertThat(Receipts.verify(receipt)).isTrue();
    assertThat(receipt.requestHash())
        .isEqualTo(Sha256.hash(ROWS.getBytes(StandardCharsets.UTF_8)).toHex());
    assertThat(receipt.channelId()).isEqualTo(channel.toHex());
    assertThat(receipt.amount()).isEqualTo(PRICE);
    assertThat(receipt.provider()).isEqualTo(provider.publicKey().toHex());
    assertThat(serving.store().latest(channel)).isPresent();
  }

  @Test
  @Order(2)
  void refusedCallsSayWhyAndChangeNothing() throws Exception {
    HttpResponse<String> r = paid(voucher(0, PRICE));
    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(error(r).get("code").asText()).isEqualTo("WRONG_AMOUNT");
    assertThat(error(r).get("message").asText()).contains("sign for " + 2 * PRICE);

    r = paid(voucher(0, 2 * PRICE + 1));
    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(error(r).get("code").asText()).isEqualTo("WRONG_AMOUNT");

    r = paid(voucher(owners.get(0), SeededNetwork.CHAIN, channel, 0, 2 * PRICE));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(error(r).get("code").asText()).isEqualTo("BAD_SIGNATURE");

    r = paid(voucher(client, "another-chain", channel, 0, 2 * PRICE));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(error(r).get("code").asText()).isEqualTo("WRONG_CHAIN");

    r = paid(voucher(client, SeededNetwork.CHAIN, Sha256.hash(new byte[] {1}), 0, 2 * PRICE));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(error(r).get("code").asText()).isEqualTo("UNKNOWN_CHANNEL");

    r = paid("not base64!");
    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(error(r).get("code").asText()).isEqualTo("INVALID_VOUCHER");

    r = post(ROWS, Map.of());
    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(error(r).get("code").asText()).isEqualTo("PAYMENT_REQUIRED");

    r = post("{\"rows\":[[1,2,3]]}", Map.of(PredictHandler.VOUCHER_HEADER, voucher(0, 2 * PRICE)));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r).get("message").asText()).contains("array of 4 numbers");

    r =
        post(
            "{\"rows\":[[1,2,3,\"x\"]]}",
            Map.of(PredictHandler.VOUCHER_HEADER, voucher(0, 2 * PRICE)));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r).get("message").asText()).contains("not a finite number");

    // None of the refusals moved the channel: the next call is still 2 × price.
    assertThat(paid(voucher(0, 2 * PRICE)).statusCode()).isEqualTo(200);
  }

  @Test
  @Order(2)
  void aBodyThatIsNotJsonOrRepeatsAFieldIsRefusedBeforeTheModelAndThePayment() throws Exception {
    Map<String, String> paying = Map.of(PredictHandler.VOUCHER_HEADER, voucher(0, 2 * PRICE));
    HttpResponse<String> r = post("{\"rows\":[[1,2,3,4]", paying);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r).get("message").asText()).startsWith("the body is not JSON");
    // Broken JSON after a row that does not fit: the JSON is what is wrong first.
    r = post("{\"rows\":[[1,2]],\"voucher\" 1}", paying);
    assertThat(error(r).get("message").asText()).startsWith("the body is not JSON");
    r = post("{\"rows\":[[1,2,3,4]],\"rows\":[[1,2,3,4]]}", paying);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r).get("message").asText()).contains("\"rows\" twice");
    // A model this provider does not know: still refused for its body first, then for the model.
    URI unknown =
        URI.create("http://127.0.0.1:" + api.port() + "/v1/models/" + "ab".repeat(32) + "/predict");
    r =
        HTTP.send(
            HttpRequest.newBuilder(unknown).POST(HttpRequest.BodyPublishers.ofString("{")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    r =
        HTTP.send(
            HttpRequest.newBuilder(unknown).POST(HttpRequest.BodyPublishers.ofString(ROWS)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isIn(404, 503);
  }

  @Test
  @Order(3)
  void aClientThatExhaustsItsDepositIsRefused() throws Exception {
    assertThat(paid(voucher(0, 3 * PRICE)).statusCode()).isEqualTo(200);
    assertThat(paid(voucher(0, 4 * PRICE)).statusCode()).isEqualTo(200);
    HttpResponse<String> r = paid(voucher(0, 5 * PRICE));
    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(error(r).get("code").asText()).isEqualTo("DEPOSIT_EXHAUSTED");
    assertThat(error(r).get("message").asText()).contains("deposit of 45");
  }

  @Test
  @Order(4)
  void theOwnerCallsUnpaidWithASignedRequestAndNobodyElseDoes() throws Exception {
    String path = "/v1/models/" + modelId + "/predict";
    String hash = Sha256.hash(ROWS.getBytes(StandardCharsets.UTF_8)).toHex();
    HttpResponse<String> r =
        post(ROWS, SignedRequest.sign(sponsor, "POST", path, hash, Clock.systemUTC()));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    r = post(ROWS, SignedRequest.sign(client, "POST", path, hash, Clock.systemUTC()));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(error(r).get("code").asText()).isEqualTo("NOT_OWNER");
    // Signed over other rows: the signature does not cover this body.
    r =
        post(
            "{\"rows\":[[0,0,0,0]]}",
            SignedRequest.sign(sponsor, "POST", path, hash, Clock.systemUTC()));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(error(r).get("code").asText()).isEqualTo("BAD_OWNER_SIGNATURE");
  }

  @Test
  @Order(4)
  void theOpenApiDocumentDescribesPredictAndEveryRouteOfAServingNode() throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/openapi.json"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode doc = JSON.readTree(r.body());
    JsonNode paths = doc.get("paths");
    for (org.fedledger.node.api.Route route : api.routes()) {
      assertThat(paths.has(route.path())).as("OpenAPI documents " + route.path()).isTrue();
    }
    assertThat(paths.size()).isEqualTo(api.routes().size());
    JsonNode predict = paths.get("/v1/models/{id}/predict").get("post");
    assertThat(predict.get("requestBody").toString()).contains("PredictRequest");
    assertThat(predict.get("responses").fieldNames())
        .toIterable()
        .contains("200", "400", "402", "403", "503");
    assertThat(predict.get("responses").get("200").toString()).contains("PredictAnswer");
    assertThat(predict.get("responses").get("402").get("description").asText())
        .contains("STALE_NONCE", "WRONG_AMOUNT", "DEPOSIT_EXHAUSTED", "EXPIRING");
    assertThat(predict.get("responses").get("403").get("description").asText())
        .contains("WRONG_CHAIN", "BAD_SIGNATURE", "WRONG_PROVIDER", "NOT_OWNER");
    JsonNode schemas = doc.get("components").get("schemas");
    assertThat(schemas.get("PredictReceipt").get("required").toString())
        .contains("requestHash", "channelId", "nonce", "amount", "provider", "signature");
    assertThat(schemas.get("PredictRequest").toString()).contains("base64 PNG or JPEG");
    // The market's queries, which a client reads before it opens a channel and pays.
    assertThat(paths.has("/v1/market/offers")).isTrue();
    assertThat(paths.has("/v1/market/offers/{model}")).isTrue();
    assertThat(paths.has("/v1/market/channels")).isTrue();
    assertThat(paths.has("/v1/market/channels/{id}")).isTrue();
  }

  @Test
  @Order(5)
  void aRestartedProviderClaimsWhatItAnsweredAndPaysRoyalties() throws Exception {
    // The provider answered 4 calls (40 tokens) and stops before claiming.
    stopProvider();
    startProvider();
    TxSender tx = new TxSender(provider, ChainAccess.of(net.node().consensus()));
    long providerBefore = net.ledger().account(provider.publicKey().address()).balance();
    try (ClaimAgent agent = new ClaimAgent(serving, tx, 4 * PRICE)) {
      assertThat(agent.claimDue()).isEqualTo(1);
    }
    Ledger ledger = net.ledger();
    Channel c = ledger.query(q -> ledger.market().channel(q, channel)).orElseThrow();
    assertThat(c.getTotalClaimed()).isEqualTo(4 * PRICE);
    assertThat(c.getNonce()).isEqualTo(1);
    assertThat(c.getDeposit()).isEqualTo(5);
    // 20% of 40 to the provider, 30% to the owner, 50% to the three contributors.
    assertThat(ledger.account(provider.publicKey().address()).balance() - providerBefore)
        .isEqualTo(8);
    List<RoyaltyPayment> royalties = ledger.query(q -> ledger.market().royalties(q, modelId));
    assertThat(royalties).hasSize(3);
    assertThat(royalties.stream().mapToLong(RoyaltyPayment::getAmount).sum()).isEqualTo(20);
    assertThat(serving.store().latest(channel)).isEmpty();

    // The old nonce's vouchers are worthless now, and the refusal names the new nonce.
    HttpResponse<String> r = paid(voucher(0, PRICE));
    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(error(r).get("code").asText()).isEqualTo("STALE_NONCE");
    assertThat(error(r).get("channelNonce").asLong()).isEqualTo(1);
    // Under the new nonce the client pays from zero again, within the 5 tokens left.
    r = paid(voucher(1, PRICE));
    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(error(r).get("code").asText()).isEqualTo("DEPOSIT_EXHAUSTED");
  }

  @Test
  @Order(6)
  void aChannelNearItsExpiryIsRefusedThenClaimedWithoutReopeningAndClosed() throws Exception {
    long margin = serving.gate().expiryMargin();
    long expiry = net.ledger().height() + margin + 6;
    Hash soon = open(client, 100, expiry);
    HttpResponse<String> r = paid(voucher(client, SeededNetwork.CHAIN, soon, 0, PRICE));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    // Blocks go by (each transfer is one) until the channel is within the margin of its expiry.
    while (net.ledger().height() + margin < expiry) {
      net.commit(
          net.tx(
              sponsor,
              "bank",
              "Transfer",
              org.fedledger.core.proto.bank.Transfer.newBuilder()
                  .setTo(client.publicKey().address().toByteString())
                  .setAmount(1)
                  .build()));
    }
    r = paid(voucher(client, SeededNetwork.CHAIN, soon, 0, 2 * PRICE));
    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(error(r).get("code").asText()).isEqualTo("EXPIRING");
    assertThat(error(r).get("message").asText()).contains("expires at height " + expiry);
    // Near expiry the provider claims what it holds whatever the threshold, and closes the
    // channel: the rest of the deposit goes back to the client.
    TxSender tx = new TxSender(provider, ChainAccess.of(net.node().consensus()));
    try (ClaimAgent agent = new ClaimAgent(serving, tx, 1_000_000)) {
      assertThat(agent.claimDue()).isEqualTo(1);
    }
    Ledger ledger = net.ledger();
    Channel c = ledger.query(q -> ledger.market().channel(q, soon)).orElseThrow();
    assertThat(c.getTotalClaimed()).isEqualTo(PRICE);
    assertThat(c.getStatus())
        .isEqualTo(org.fedledger.core.proto.market.ChannelStatus.CHANNEL_CLOSED);
    assertThat(c.getTotalDeposited())
        .isEqualTo(c.getTotalClaimed() + c.getTotalRefunded() + c.getDeposit());
    r = paid(voucher(client, SeededNetwork.CHAIN, soon, 0, 2 * PRICE));
    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(error(r).get("code").asText()).isEqualTo("CHANNEL_CLOSED");
  }

  @Test
  @Order(7)
  void aProviderTheChannelDoesNotPayIsRefusedTheVoucher() throws Exception {
    // The offer allows one provider, and the chain opens channels only to it: any other node
    // holding a client's voucher for that channel refuses it, and keeps nothing.
    Hash fresh = open(client, 50);
    Ledger ledger = net.ledger();
    try (Serving other =
        Serving.builder()
            .setLedger(() -> ledger)
            .setKey(owners.get(2))
            .setBlobs(
                new BlobSource(
                    new BlobClient(owners.get(2), net.blobs, Clock.systemUTC()), List.of()))
            .setDataDir(dir.resolve("other-provider"))
            .setMeterRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
            .build()) {
      String v = voucher(client, SeededNetwork.CHAIN, fresh, 0, PRICE);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> other.gate().pay(modelId, v))
          .isInstanceOfSatisfying(
              PaymentRefusedException.class,
              e -> {
                assertThat(e.code()).isEqualTo("WRONG_PROVIDER");
                assertThat(e.status()).isEqualTo(403);
              });
      assertThat(other.store().latest(fresh)).isEmpty();
      // The provider the channel pays takes the same voucher.
      assertThat(paid(v).statusCode()).isEqualTo(200);
    }
  }
}
