package org.fedledger.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedledger.cli.channel.ChannelState;
import org.fedledger.cli.testing.CliRun;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.market.Channel;
import org.fedledger.ledger.Ledger;
import org.fedledger.node.dashboard.MarketSeed;
import org.fedledger.node.dashboard.SeededNetwork;
import org.fedledger.node.dashboard.TrainingSeed;
import org.fedledger.node.keys.KeyFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code model predict} and {@code channel add-funds|extend} against a real provider: a model
 * trained on a real two-validator network, offered at 10 per call, served over HTTP with vouchers
 * checked and stored. The client's calls continue one voucher sequence across invocations, follow
 * the nonce a claim moves to, and every refusal (the provider's, the chain's, or a state file that
 * disagrees with the chain) says why, exits non-zero and pays nothing.
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelPredictCommandTest {
  private static final long PRICE = 10;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static SeededNetwork net;
  static MarketSeed.Provider provider;
  static String modelId;
  static Hash channel;
  static Path clientKey;
  static Path ownerKey;
  static Path strangerKey;
  static Path states;
  static Path rows;

  @BeforeAll
  static void trainOfferOpenAndServe() throws Exception {
    net = SeededNetwork.start(dir, 7);
    Ed25519KeyPair sponsor = net.accounts.get(0);
    List<Ed25519KeyPair> owners = net.accounts.subList(1, 4);
    Ed25519KeyPair providerKey = net.accounts.get(4);
    Ed25519KeyPair client = net.accounts.get(5);
    TrainingSeed seed = new TrainingSeed(net);
    seed.registerDatasets("lab", owners);
    Hash job = seed.createJoinStart(sponsor, "lab", owners, 1);
    seed.playRound(job, 1, owners, null);
    modelId = job.toHex();
    MarketSeed market = new MarketSeed(net);
    market.offer(sponsor, modelId, PRICE, providerKey);
    channel = market.open(client, modelId, providerKey, 35, 10_000);
    provider = market.startProvider(providerKey, dir.resolve("vouchers"));
    clientKey = save("client.json", client);
    ownerKey = save("owner.json", sponsor);
    strangerKey = save("stranger.json", net.accounts.get(6));
    states = dir.resolve("channels");
    rows = dir.resolve("rows.json");
    Files.writeString(rows, "{\"rows\": [[0.5, -1.0, 2.0, 0.25], [1, 1, 1, 1]]}");
  }

  @AfterAll
  static void stop() {
    if (provider != null) {
      provider.close();
    }
    if (net != null) {
      net.close();
    }
  }

  @Test
  @Order(1)
  void paidCallsContinueOneVoucherSequenceAcrossInvocations() throws Exception {
    CliRun first = ok(predict(rows));
    assertThat(first.out())
        .containsPattern("row 0  class \\d \\(p = 0\\.\\d{3}\\)")
        .contains("row 1  class ")
        .contains("nonce 0, cumulative amount 10, signature valid");
    assertThat(state().amount()).isEqualTo(PRICE);

    JsonNode second = JSON.readTree(ok(predict(rows, "--json")).out());
    assertThat(second.path("predictions")).hasSize(2);
    assertThat(second.path("receipt").path("amount").asLong()).isEqualTo(2 * PRICE);
    assertThat(second.path("receipt").path("channelId").asText()).isEqualTo(channel.toHex());
    assertThat(second.path("receiptValid").asBoolean()).isTrue();
    assertThat(state())
        .isEqualTo(
            new ChannelState(
                SeededNetwork.CHAIN,
                channel.toHex(),
                KeyFile.load(clientKey).publicKey().toHex(),
                0,
                2 * PRICE));
    assertThat(provider.serving().gate().latest(channel).orElseThrow().amount())
        .isEqualTo(2 * PRICE);
  }

  @Test
  @Order(2)
  void rowsThatDoNotFitTheModelExitWithTwoAndPayNothing() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "[[1, 2, 3]]");
    CliRun run = predict(bad);
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("HTTP 400", "row 0 must be an array of 4 numbers");
    assertThat(state().amount()).isEqualTo(2 * PRICE);

    Files.writeString(bad, "{\"rows\": []}");
    run = predict(bad);
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("at least one row");
    assertThat(state().amount()).isEqualTo(2 * PRICE);
  }

  @Test
  @Order(3)
  void aSpentDepositIsRefusedUntilTheClientAddsFunds() throws Exception {
    ok(predict(rows));
    CliRun refused = predict(rows);
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err())
        .contains("has 5 of its deposit 35 left", "less than the price 10", "channel add-funds");
    assertThat(state().amount()).isEqualTo(3 * PRICE);

    CliRun zero = add(clientKey, "0");
    assertThat(zero.exitCode()).isEqualTo(2);
    assertThat(zero.err()).contains("--amount must be at least 1 token");
    CliRun stranger = add(strangerKey, "50");
    assertThat(stranger.exitCode()).isEqualTo(1);
    assertThat(stranger.err()).contains("only the channel's client");
    assertThat(channelOnChain().getDeposit()).isEqualTo(35);

    assertThat(ok(add(clientKey, "50")).out()).contains("50 added, deposit now 85");
    assertThat(ok(predict(rows)).out()).contains("cumulative amount 40");
  }

  @Test
  @Order(4)
  void afterTheProviderClaimsTheClientPaysFromZeroUnderTheNextNonce() throws Exception {
    assertThat(provider.claimDue(1)).isEqualTo(1);
    Channel claimed = channelOnChain();
    assertThat(claimed.getNonce()).isEqualTo(1);
    assertThat(claimed.getTotalClaimed()).isEqualTo(4 * PRICE);
    assertThat(ok(predict(rows)).out()).contains("nonce 1, cumulative amount 10, signature valid");
    assertThat(state().nonce()).isEqualTo(1);
    assertThat(state().amount()).isEqualTo(PRICE);
  }

  @Test
  @Order(5)
  void aStateFileThatDisagreesWithTheChainIsRefusedAndNothingIsSigned() throws Exception {
    ChannelState ahead =
        new ChannelState(SeededNetwork.CHAIN, channel.toHex(), state().clientKey(), 7, 10);
    ahead.write(stateFile());
    CliRun run = predict(rows);
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("disagrees with the chain", "nonce 7", "at nonce 1", "Nothing was signed");
    assertThat(state()).isEqualTo(ahead);

    new ChannelState("another-chain", channel.toHex(), state().clientKey(), 1, 10)
        .write(stateFile());
    assertThat(predict(rows).err()).contains("it is for chain 'another-chain'");
  }

  @Test
  @Order(6)
  void aLostStateFileIsRefusedByTheProviderWithItsCountAndNothingIsKept() throws Exception {
    Files.delete(stateFile());
    CliRun run = predict(rows);
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("HTTP 402, WRONG_AMOUNT", "sign for 20", "counts calls on this channel");
    assertThat(stateFile()).doesNotExist();
  }

  @Test
  @Order(7)
  void theOwnerCallsWithoutAChannelAndNobodyElseDoes() {
    CliRun owner = ok(CliRun.of(base(ownerKey, "--input", rows.toString())));
    assertThat(owner.out()).contains("row 0  class ", "unpaid (the owner's call), signature valid");
    CliRun stranger = CliRun.of(base(strangerKey, "--input", rows.toString()));
    assertThat(stranger.exitCode()).isEqualTo(1);
    assertThat(stranger.err()).contains("HTTP 403, NOT_OWNER");
  }

  @Test
  @Order(8)
  void theClientExtendsTheExpiryOnlyForward() throws Exception {
    long expiry = channelOnChain().getExpiryHeight();
    assertThat(ok(extend(clientKey, expiry + 100)).out())
        .contains("expiry moved from height " + expiry + " to " + (expiry + 100));
    CliRun back = extend(clientKey, expiry);
    assertThat(back.exitCode()).isEqualTo(1);
    assertThat(back.err()).contains("after the channel's expiry " + (expiry + 100));
    CliRun stranger = extend(strangerKey, expiry + 200);
    assertThat(stranger.exitCode()).isEqualTo(1);
    assertThat(stranger.err()).contains("only the channel's client");
    assertThat(channelOnChain().getExpiryHeight()).isEqualTo(expiry + 100);
  }

  // ---- helpers ----

  private static CliRun predict(Path input, String... more) {
    String[] args =
        base(
            clientKey,
            "--channel",
            channel.toHex(),
            "--state-dir",
            states.toString(),
            "--input",
            input.toString());
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return CliRun.of(all);
  }

  private static String[] base(Path key, String... more) {
    String[] head = {
      "model", "predict", "--node", provider.url(), "--model", modelId, "--key", key.toString()
    };
    String[] all = java.util.Arrays.copyOf(head, head.length + more.length);
    System.arraycopy(more, 0, all, head.length, more.length);
    return all;
  }

  private static CliRun add(Path key, String amount) {
    return CliRun.of(
        "channel",
        "add-funds",
        "--node",
        provider.url(),
        "--channel",
        channel.toHex(),
        "--amount",
        amount,
        "--key",
        key.toString());
  }

  private static CliRun extend(Path key, long height) {
    return CliRun.of(
        "channel",
        "extend",
        "--node",
        provider.url(),
        "--channel",
        channel.toHex(),
        "--expiry-height",
        Long.toString(height),
        "--key",
        key.toString());
  }

  private static CliRun ok(CliRun run) {
    assertThat(run.exitCode()).as("stdout:%n%s%nstderr:%n%s", run.out(), run.err()).isZero();
    return run;
  }

  private static Path stateFile() {
    return states.resolve(channel.toHex() + ".json");
  }

  private static ChannelState state() throws Exception {
    return ChannelState.read(stateFile()).orElseThrow();
  }

  private static Channel channelOnChain() {
    Ledger ledger = net.ledger();
    return ledger.query(q -> ledger.market().channel(q, channel)).orElseThrow();
  }

  private static Path save(String name, Ed25519KeyPair key) throws Exception {
    Path p = dir.resolve("keys").resolve(name);
    KeyFile.save(p, key);
    return p;
  }
}
