package org.fedledger.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.market.Channel;
import org.fedledger.core.proto.market.RoyaltyPayment;
import org.fedledger.ledger.Ledger;
import org.fedledger.node.config.NodeConfig;
import org.fedledger.node.serve.PredictHandler;
import org.fedledger.testkit.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole provider node (a real FedledgerNode serving the demo's MLP) answers paid calls, some of
 * them base64 images, and is stopped before it claims; started again on the same data directory, it
 * claims the voucher it had persisted and the claim pays the provider, the owner and the
 * contributors. The claim threshold and interval come from the node's configuration file.
 */
class ProviderRestartTest {
  private static final long PRICE = 10;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  @Timeout(value = 400, unit = TimeUnit.SECONDS)
  void aProviderStoppedBeforeClaimingClaimsAfterAWholeNodeRestart() throws Exception {
    try (ServeNetwork net =
        ServeNetwork.builder()
            .setDir(dir.resolve("net"))
            .setBasePort(FreePorts.consecutive(3))
            .optClients(2)
            .optPricePerCall(PRICE)
            .optDeposit(1_000)
            // Never by amount before the restart: the node must stop holding what it answered.
            .optServing(new NodeConfig.Serving(1_000_000L, null, 100L))
            .start(Duration.ofMinutes(5))) {
      PredictLoad.Payer client = payer(net, 0);
      String url = net.apiUrl() + "/v1/models/" + net.modelId() + "/predict";

      // An image model takes base64 images as rows, decoded as the owners' image folders were.
      HttpResponse<String> r = post(url, imageBody(png(net, 0, 28)), client.next());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      client.accepted();
      JsonNode prediction = JSON.readTree(r.body()).get("predictions").get(0);
      assertThat(prediction.get("label").asInt()).isBetween(0, 9);
      assertThat(prediction.get("probabilities")).hasSize(10);
      // A corrupt image, and one of another size (Fashion-MNIST's schema refuses resizing), are
      // refused with the reason, and neither is charged.
      byte[] truncated = java.util.Arrays.copyOf(png(net, 1, 28), 30);
      r = post(url, imageBody(truncated), client.next());
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("row 0's image is not a readable PNG or JPEG");
      r = post(url, imageBody(png(net, 1, 32)), client.next());
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("32x32", "28x28");
      for (int i = 1; i < 5; i++) {
        r = post(url, imageBody(png(net, i, 28)), client.next());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        client.accepted();
      }
      String lastVoucher = client.next();
      r = post(url, imageBody(png(net, 5, 28)), lastVoucher);
      assertThat(r.statusCode()).isEqualTo(200);
      client.accepted();
      long answered = 6 * PRICE;

      Hash channel = net.channels().get(0);
      assertThat(net.provider().serving().store().latest(channel)).isPresent();
      Thread.sleep(500); // several claim ticks: none claims below the threshold
      assertThat(net.channel(0).getTotalClaimed()).isZero();

      Ledger before = net.ledger();
      Address provider = net.nodes().validatorKey(0).publicKey().address();
      Address owner = net.nodes().adminKey().publicKey().address();
      long providerBefore = before.account(provider).balance();
      long ownerBefore = before.account(owner).balance();

      // The operator lowers the threshold and restarts the node on the same data directory.
      Path config = net.nodes().network().configFiles().get(0);
      NodeConfig.load(config).withServing(new NodeConfig.Serving(PRICE, null, 100L)).save(config);
      net.nodes().restart(0, Duration.ofSeconds(60));

      // Claimed, and forgotten by the provider once it saw the claim commit.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while ((net.channel(0).getTotalClaimed() == 0
              || net.provider().serving().store().latest(channel).isPresent())
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      Channel claimed = net.channel(0);
      assertThat(claimed.getTotalClaimed()).isEqualTo(answered);
      assertThat(claimed.getNonce()).as("the claim reopened the channel").isEqualTo(1);
      assertThat(claimed.getDeposit()).isEqualTo(1_000 - answered);
      Ledger after = net.ledger();
      // 20 % to the provider, 30 % to the owner, 50 % to the three contributors.
      assertThat(after.account(provider).balance() - providerBefore).isEqualTo(answered / 5);
      assertThat(after.account(owner).balance() - ownerBefore).isEqualTo(answered * 3 / 10);
      List<RoyaltyPayment> royalties = after.query(q -> after.market().royalties(q, net.modelId()));
      assertThat(royalties).hasSize(ServeNetwork.OWNERS);
      assertThat(royalties.stream().mapToLong(RoyaltyPayment::getAmount).sum())
          .isEqualTo(answered / 2);
      assertThat(net.provider().serving().store().latest(channel)).isEmpty();

      // The last voucher, replayed to the restarted node, is worth nothing now.
      r = post(url, imageBody(png(net, 6, 28)), lastVoucher);
      assertThat(r.statusCode()).isEqualTo(402);
      assertThat(JSON.readTree(r.body()).get("error").get("code").asText())
          .isEqualTo("STALE_NONCE");
      // A client that stops paying is refused: no voucher, and not the model's owner.
      r = post(url, imageBody(png(net, 6, 28)), null);
      assertThat(r.statusCode()).isEqualTo(402);
      assertThat(JSON.readTree(r.body()).get("error").get("code").asText())
          .isEqualTo("PAYMENT_REQUIRED");
      // Under the new nonce the client goes on paying, from amount 0.
      client.reopened(1);
      r = post(url, imageBody(png(net, 6, 28)), client.next());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
  }

  private static PredictLoad.Payer payer(ServeNetwork net, int i) {
    return new PredictLoad.Payer(
        net.clients().get(i), net.chainId(), net.channels().get(i), net.pricePerCall());
  }

  /** Test image i of the network's samples as a size x size grayscale PNG. */
  private static byte[] png(ServeNetwork net, int i, int size) throws Exception {
    float[] x = net.samples().features(i);
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < size; y++) {
      for (int col = 0; col < size; col++) {
        float v = y < 28 && col < 28 ? x[y * 28 + col] : 0f;
        image.getRaster().setSample(col, y, 0, Math.round(v * 255));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  private static String imageBody(byte[] png) throws Exception {
    return JSON.writeValueAsString(
        Map.of("rows", List.of(Map.of("image", Base64.getEncoder().encodeToString(png)))));
  }

  private static HttpResponse<String> post(String url, String body, String voucher)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (voucher != null) {
      b.header(PredictHandler.VOUCHER_HEADER, voucher);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
