package org.fedledger.cli.validator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedledger.cli.testing.CliRun;
import org.fedledger.consensus.node.MembershipPlan;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.node.FedledgerNode;
import org.fedledger.node.config.NetworkInitializer;
import org.fedledger.node.config.NodeConfig;
import org.fedledger.node.keys.KeyFile;
import org.fedledger.node.testing.TestNetworks;
import org.fedledger.testkit.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** validator list, add and remove against running nodes: refusals, then growing and shrinking. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ValidatorCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static NetworkInitializer.Network net;
  static FedledgerNode node;
  static String url;
  static Path newcomerKey;

  @BeforeAll
  static void start() throws Exception {
    net = TestNetworks.create(dir.resolve("net"), "validator-cli", 1, 1, 1_000, 20);
    node = FedledgerNode.start(net.configFiles().get(0));
    url = "http://127.0.0.1:" + node.apiPort();
    awaitLeader(node);
    newcomerKey = dir.resolve("newcomer.json");
    KeyFile.save(newcomerKey, Ed25519KeyPair.generate());
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  private static void awaitLeader(FedledgerNode n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!n.consensus().isLeader() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  private static JsonNode ok(CliRun run) throws Exception {
    assertThat(run.exitCode()).as(run.err()).isZero();
    return JSON.readTree(run.out());
  }

  /** Runs {@code fedledger validator COMMAND --node NODE ARGS...}. */
  private static CliRun validator(String command, String nodeUrl, String... args) {
    List<String> line = new ArrayList<>(List.of("validator", command, "--node", nodeUrl));
    line.addAll(List.of(args));
    return CliRun.of(line.toArray(String[]::new));
  }

  /** Adds the newcomer's key at raftAddress, signed with signerKey. */
  private static CliRun addNewcomer(String signerKey, String raftAddress) {
    return validator(
        "add",
        url,
        "--key",
        signerKey,
        "--validator-key",
        newcomerKey.toString(),
        "--raft-address",
        raftAddress);
  }

  private static JsonNode list(String nodeUrl) throws Exception {
    return ok(validator("list", nodeUrl));
  }

  private static String admin() {
    return net.adminKeyFile().toString();
  }

  /** What a refused command must leave as it was: the validator set and the admin's nonce. */
  private static String chainState() throws Exception {
    String adminAddress = KeyFile.load(net.adminKeyFile()).publicKey().address().toHex();
    JsonNode account = ok(CliRun.of("account", adminAddress, "--node", url));
    return list(url).get("validators") + " nonce " + account.path("nonce").asLong();
  }

  @Test
  void listShowsTheGenesisValidatorAsItsRaftPeer() throws Exception {
    JsonNode view = list(url);
    assertThat(view.get("validators")).hasSize(1);
    assertThat(view.get("validators").get(0).get("raftPeer").asText()).isEqualTo("node-0");
    assertThat(view.get("raftMembers").get(0).asText()).startsWith("node-0=127.0.0.1:");
    assertThat(view.get("inSync").asBoolean()).isTrue();
  }

  @Test
  void onlyTheAdminMayAddAValidator() throws Exception {
    String before = chainState();
    CliRun run = addNewcomer(net.accountKeyFiles().get(0).toString(), "127.0.0.1:7999");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("HTTP 403", "UNAUTHORIZED", "only the genesis admin");
    assertThat(chainState()).isEqualTo(before);
  }

  @Test
  void aBadRaftAddressIsAUsageErrorAndNothingIsSent() throws Exception {
    String before = chainState();
    for (String bad : List.of("127.0.0.1", "127.0.0.1:0", "127.0.0.1:port", ":7999")) {
      CliRun run = addNewcomer(admin(), bad);
      assertThat(run.exitCode()).as(bad).isEqualTo(2);
      assertThat(run.err()).as(bad).contains("--raft-address");
    }
    CliRun badKey = validator("remove", url, "--key", admin(), "--public-key", "abcd");
    assertThat(badKey.exitCode()).isEqualTo(2);
    assertThat(badKey.err()).contains("--public-key must be 64 hex digits");
    assertThat(chainState()).isEqualTo(before);
  }

  @Test
  void anAddressInUseAnUnknownValidatorAndTheLastValidatorAreRefused() throws Exception {
    String before = chainState();
    String taken = list(url).get("validators").get(0).get("raftAddress").asText();
    CliRun inUse = addNewcomer(admin(), taken);
    assertThat(inUse.exitCode()).isEqualTo(1);
    assertThat(inUse.err())
        .contains("INVALID_MESSAGE", "raft_address " + taken + " is already used");

    CliRun unknown =
        validator("remove", url, "--key", admin(), "--validator-key", newcomerKey.toString());
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("no validator with public key");

    CliRun last =
        validator(
            "remove",
            url,
            "--key",
            admin(),
            "--validator-key",
            net.dir().resolve("node-0").resolve(NetworkInitializer.VALIDATOR_KEY_FILE).toString());
    assertThat(last.exitCode()).isEqualTo(1);
    assertThat(last.err()).contains("cannot remove the last validator");
    assertThat(chainState()).isEqualTo(before);
  }

  @Test
  void aSubcommandIsRequired() {
    CliRun run = CliRun.of("validator");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("list, add or remove");
  }

  @Test
  void aNetworkGrowsToTwoValidatorsAndShrinksBack(@TempDir Path own) throws Exception {
    NetworkInitializer.Network small =
        TestNetworks.create(own.resolve("net"), "grow", 1, 1, 1_000, 20);
    List<Integer> ports = FreePorts.distinct(2);
    Ed25519KeyPair key = Ed25519KeyPair.generate();
    String peerId = MembershipPlan.peerIdOf(key.publicKey());
    String raft = "127.0.0.1:" + ports.get(0);
    Path newDir = Files.createDirectories(own.resolve("new"));
    KeyFile.save(newDir.resolve("validator-key.json"), key);
    // The new node's configuration: the group and itself, under the peer id the chain gives it.
    NodeConfig first = NodeConfig.load(small.configFiles().get(0));
    List<NodeConfig.Peer> peers =
        List.of(
            first.peers().get(0), new NodeConfig.Peer(peerId, raft, "127.0.0.1:" + ports.get(1)));
    Path newConfig = newDir.resolve("node.json");
    new NodeConfig(
            peerId,
            "data",
            "validator-key.json",
            small.genesisFile().toString(),
            raft,
            "127.0.0.1:" + ports.get(1),
            peers,
            first.block(),
            first.tuning())
        .save(newConfig);

    try (FedledgerNode genesisNode = FedledgerNode.start(small.configFiles().get(0));
        FedledgerNode joiner = FedledgerNode.start(newConfig)) {
      awaitLeader(genesisNode);
      String url0 = "http://127.0.0.1:" + genesisNode.apiPort();
      String url1 = "http://127.0.0.1:" + joiner.apiPort();
      String adminKey = small.adminKeyFile().toString();
      Path keyFile = newDir.resolve("validator-key.json");

      JsonNode added =
          ok(
              validator(
                  "add",
                  url0,
                  "--key",
                  adminKey,
                  "--validator-key",
                  keyFile.toString(),
                  "--raft-address",
                  raft,
                  "--wait"));
      assertThat(added.get("validator").get("peerId").asText()).isEqualTo(peerId);
      assertThat(added.get("validator").get("raftPeer").asText()).isEqualTo(peerId);

      // The joiner learns the group and the chain from the leader.
      long height = added.get("height").asLong();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      JsonNode seenByJoiner = list(url1);
      while (!(seenByJoiner.get("inSync").asBoolean() && seenByJoiner.get("validators").size() == 2)
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
        seenByJoiner = list(url1);
      }
      assertThat(seenByJoiner.get("raftMembers")).hasSize(2);
      assertThat(seenByJoiner.get("inSync").asBoolean()).as(seenByJoiner.toString()).isTrue();
      assertThat(joiner.consensus().height()).isGreaterThanOrEqualTo(height);

      JsonNode removed =
          ok(
              validator(
                  "remove",
                  url0,
                  "--key",
                  adminKey,
                  "--public-key",
                  key.publicKey().toHex(),
                  "--wait"));
      assertThat(removed.get("leftRaftGroup").asBoolean()).isTrue();
      JsonNode after = list(url0);
      assertThat(after.get("validators")).hasSize(1);
      assertThat(after.get("raftMembers")).hasSize(1);
      assertThat(after.get("inSync").asBoolean()).isTrue();

      // The one remaining validator goes on committing.
      String to = KeyFile.load(small.accountKeyFiles().get(0)).publicKey().address().toHex();
      ok(
          CliRun.of(
              "tx",
              "transfer",
              "--node",
              url0,
              "--key",
              adminKey,
              "--to",
              to,
              "--amount",
              "5",
              "--wait"));
    }
  }
}
