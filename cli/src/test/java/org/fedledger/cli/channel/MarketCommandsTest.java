package org.fedledger.cli.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedledger.cli.FedledgerCommand;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.cli.job.ChainTx;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.bank.Transfer;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.train.TrainConfig;
import org.fedledger.node.ConsensusBackend;
import org.fedledger.node.agent.JobOptions;
import org.fedledger.node.agent.OwnerData;
import org.fedledger.node.agent.TrainingState;
import org.fedledger.node.api.ApiServer;
import org.fedledger.node.config.HostPort;
import org.fedledger.node.keys.KeyFile;
import org.fedledger.node.metrics.NodeMetrics;
import org.fedledger.node.testing.TrainingNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The market's commands against a real in-process network (one validator, Raft over loopback,
 * RocksDB, agents) and its REST API, after a one-round job trained and registered a model: the
 * owner offers it, a client opens a channel and signs a voucher, the provider claims it, the
 * royalties reach the three owners; then the refusals, each with its reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class MarketCommandsTest {
  private static final long SEED = 11;

  private Path dir;
  private TrainingNetwork net;
  private ApiServer api;
  private String nodeUrl;
  private String modelId;
  private Path ownerKey;
  private Path clientKey;
  private Path providerKey;
  private Path strangerKey;
  private Address provider;
  private String channelId;

  private StringWriter out;
  private StringWriter err;

  @BeforeAll
  void trainAModel() throws Exception {
    dir = Files.createTempDirectory("market-commands");
    LabeledData[] parts =
        OwnerData.dirichlet(Datasets.fashionMnist(Optional.empty()).train(), 3, 200, 1.0, SEED);
    List<TrainingNetwork.Owner> owners = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      owners.add(new TrainingNetwork.Owner("p" + i, parts[i], null));
    }
    net =
        TrainingNetwork.start(
            dir.resolve("net"), 1, owners, SEED, null, null, TrainConfig.defaults());
    Hash jobId =
        net.createAndStartJob(
            JobOptions.builder()
                .setModel(ModelSpecs.preset("logreg"))
                .setRounds(1)
                .setParticipantsPerRound(3)
                .setStrategy("fedavg")
                .optMinUpdates(3)
                .optReward(30_000)
                .optStake(1_000)
                .optRoundBlocks(300)
                .optCommitBlocks(300)
                .optAttestQuorum(1)
                .build());
    long deadline = System.nanoTime() + 120_000_000_000L;
    Job job;
    do {
      Thread.sleep(100);
      job = new TrainingState(net.ledger()).job(jobId).orElseThrow();
    } while (job.getStatus() != JobStatus.JOB_COMPLETED && System.nanoTime() < deadline);
    modelId = job.getModelId();
    assertThat(modelId).as("the job completed and registered a model").isNotEmpty();
    NodeMetrics metrics = new NodeMetrics(() -> 0, () -> net.node().height());
    api =
        new ApiServer(new ConsensusBackend(net.node()), metrics)
            .start(HostPort.parse("127.0.0.1:0"));
    nodeUrl = "http://127.0.0.1:" + api.port();
    // The network's sponsor, derived as TrainingNetwork derives it (role 3, index 0).
    ownerKey =
        save(
            "owner.key",
            Ed25519KeyPair.fromSeed(
                Sha256.hash(ByteBuffer.allocate(20).putLong(SEED).putInt(3).putInt(0).array())
                    .toByteArray()));
    providerKey = save("provider.key", net.validators().get(0).key());
    provider = net.validators().get(0).key().publicKey().address();
    clientKey = save("client.key", net.participants().get(0).key());
    strangerKey = save("stranger.key", net.participants().get(1).key());
  }

  @AfterAll
  void stop() {
    if (api != null) {
      api.close();
    }
    if (net != null) {
      net.close();
    }
  }

  @Test
  @Order(1)
  void theOwnerOffersTheModel() throws Exception {
    cli(
        "model",
        "offer",
        "--node",
        nodeUrl,
        "--key",
        ownerKey.toString(),
        "--model",
        modelId,
        "--price",
        "10",
        "--provider",
        provider.toHex(),
        "--split",
        "10:30:60",
        "--licence",
        "CC-BY-4.0");
    JsonNode offer = json().path("offer");
    assertThat(offer.path("pricePerCall").asLong()).isEqualTo(10);
    assertThat(offer.path("providerFeePpm").asLong()).isEqualTo(100_000);
    assertThat(offer.path("contributorsSharePpm").asLong()).isEqualTo(600_000);
    assertThat(get("/v1/market/offers").path("count").asLong()).isEqualTo(1);
  }

  @Test
  @Order(2)
  void aClientOpensAChannelSignsAVoucherAndTheProviderClaimsIt() throws Exception {
    cli(
        "channel",
        "open",
        "--node",
        nodeUrl,
        "--key",
        clientKey.toString(),
        "--model",
        modelId,
        "--provider",
        provider.toHex(),
        "--deposit",
        "1000",
        "--expiry-blocks",
        "500");
    channelId = json().path("channelId").asText();
    assertThat(json().path("channel").path("deposit").asLong()).isEqualTo(1000);

    cli("channel", "status", channelId, "--node", nodeUrl);
    assertThat(out.toString()).contains("deposit   1000 (price 10 per call)", "blocks to expiry");

    long providerBefore = balance(provider);
    List<Long> ownersBefore = ownerBalances();
    Path voucher = dir.resolve("voucher-0.json");
    cli(
        "channel",
        "voucher",
        channelId,
        "--node",
        nodeUrl,
        "--key",
        clientKey.toString(),
        "--amount",
        "500",
        "--out",
        voucher.toString());
    cli(
        "channel",
        "claim",
        channelId,
        "--node",
        nodeUrl,
        "--key",
        providerKey.toString(),
        "--voucher",
        voucher.toString(),
        "--reopen");
    JsonNode channel = json().path("channel");
    assertThat(channel.path("nonce").asLong()).isEqualTo(1);
    assertThat(channel.path("deposit").asLong()).isEqualTo(500);
    // 10% of 500 to the provider.
    assertThat(balance(provider) - providerBefore).isEqualTo(50);

    JsonNode royalties = get("/v1/models/" + modelId + "/royalties");
    assertThat(royalties.path("revenue").asLong()).isEqualTo(500);
    long paid = 0;
    for (JsonNode r : royalties.path("royalties")) {
      paid += r.path("amount").asLong();
      assertThat(r.path("weight").asLong()).isPositive();
    }
    assertThat(paid).as("60% of 500 to the contributors").isEqualTo(300);
    List<Long> ownersAfter = ownerBalances();
    long gained = 0;
    for (int i = 0; i < ownersAfter.size(); i++) {
      gained += ownersAfter.get(i) - ownersBefore.get(i);
    }
    assertThat(gained).isEqualTo(300);
    JsonNode claims = get("/v1/models/" + modelId + "/claims");
    assertThat(claims.path("count").asLong()).isEqualTo(1);
    assertThat(claims.path("claims").get(0).path("ownerAmount").asLong()).isEqualTo(150);
    assertThat(get("/v1/market/channels?client=" + address(clientKey)).path("channels")).hasSize(1);
  }

  @Test
  @Order(3)
  void aReplayedVoucherIsRefusedWithItsReason() {
    assertThat(
            run(
                "channel",
                "claim",
                channelId,
                "--node",
                nodeUrl,
                "--key",
                providerKey.toString(),
                "--voucher",
                dir.resolve("voucher-0.json").toString()))
        .isEqualTo(1);
    assertThat(err.toString()).contains("the channel's current nonce is 1: it was already claimed");
  }

  @Test
  @Order(4)
  void onlyTheOwnerOffersAndOnlyTheOffersProvidersAreOpenedTo() {
    assertThat(
            run(
                "model",
                "offer",
                "--node",
                nodeUrl,
                "--key",
                strangerKey.toString(),
                "--model",
                modelId,
                "--price",
                "1",
                "--provider",
                provider.toHex(),
                "--split",
                "0:0:100",
                "--licence",
                "x"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("only the model's owner");
    assertThat(
            run(
                "channel",
                "open",
                "--node",
                nodeUrl,
                "--key",
                clientKey.toString(),
                "--model",
                modelId,
                "--provider",
                address(strangerKey),
                "--deposit",
                "10",
                "--expiry-blocks",
                "50"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("is not allowed by the offer");
    assertThat(
            run(
                "model",
                "offer",
                "--node",
                nodeUrl,
                "--key",
                ownerKey.toString(),
                "--model",
                modelId,
                "--price",
                "1",
                "--provider",
                provider.toHex(),
                "--split",
                "10:30:61",
                "--licence",
                "x"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("summing to 100");
  }

  @Test
  @Order(5)
  void theClientClosesOnlyAfterExpiryAndGetsTheRestBack() throws Exception {
    cli(
        "channel",
        "open",
        "--node",
        nodeUrl,
        "--key",
        clientKey.toString(),
        "--model",
        modelId,
        "--provider",
        provider.toHex(),
        "--deposit",
        "300",
        // Long enough that the agents' own late transactions (evaluation reports) cannot carry
        // the chain past the expiry before the early close below is tried.
        "--expiry-blocks",
        "30");
    String shortLived = json().path("channelId").asText();
    long expiry = json().path("channel").path("expiryHeight").asLong();
    assertThat(
            run("channel", "close", shortLived, "--node", nodeUrl, "--key", clientKey.toString()))
        .isEqualTo(1);
    assertThat(err.toString()).contains("a refund is possible from height " + (expiry + 1));
    // An idle chain makes no blocks: move it past the expiry with small transfers.
    ChainTx tx = new ChainTx(new NodeClient(nodeUrl), KeyFile.load(ownerKey));
    while (net.ledger().height() <= expiry) {
      tx.submitAndWait(
          "bank",
          "Transfer",
          Transfer.newBuilder().setTo(provider.toByteString()).setAmount(1).build(),
          Duration.ofSeconds(30));
    }
    long clientBefore = balance(Address.fromHex(address(clientKey)));
    cli("channel", "close", shortLived, "--node", nodeUrl, "--key", clientKey.toString());
    assertThat(out.toString()).contains("300 refunded to the client");
    assertThat(balance(Address.fromHex(address(clientKey))) - clientBefore).isEqualTo(300);
    cli("channel", "status", shortLived, "--node", nodeUrl);
    assertThat(out.toString()).contains("closed");
  }

  // ---- helpers ----

  private List<Long> ownerBalances() {
    List<Long> out = new ArrayList<>();
    for (TrainingNetwork.Participant p : net.participants()) {
      out.add(balance(p.key().publicKey().address()));
    }
    return out;
  }

  private long balance(Address a) {
    return net.ledger().account(a).balance();
  }

  private static String address(Path key) {
    try {
      return KeyFile.load(key).publicKey().address().toHex();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode get(String path) {
    return new NodeClient(nodeUrl).require(path, path);
  }

  private JsonNode json() throws Exception {
    return new ObjectMapper().readTree(out.toString());
  }

  private Path save(String name, Ed25519KeyPair key) throws Exception {
    Path p = dir.resolve("keys").resolve(name);
    KeyFile.save(p, key);
    return p;
  }

  private void cli(String... args) {
    assertThat(run(args)).as("%s%n%s", String.join(" ", args), both()).isZero();
  }

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cli = FedledgerCommand.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private String both() {
    return "stdout:\n" + out + "\nstderr:\n" + err;
  }
}
