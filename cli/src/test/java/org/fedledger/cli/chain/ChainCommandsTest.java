package org.fedledger.cli.chain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.fedledger.cli.testing.CliRun;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.node.FedledgerNode;
import org.fedledger.node.config.NetworkInitializer;
import org.fedledger.node.keys.KeyFile;
import org.fedledger.node.testing.TestNetworks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** tx transfer, tx, block and account against a running one-node network. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChainCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static NetworkInitializer.Network net;
  static FedledgerNode node;
  static String url;

  @BeforeAll
  static void start() throws Exception {
    net = TestNetworks.create(dir.resolve("net"), "cli-test", 1, 2, 1_000, 20);
    node = FedledgerNode.start(net.configFiles().get(0));
    url = "http://127.0.0.1:" + node.apiPort();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!node.consensus().isLeader() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  private static JsonNode ok(CliRun run) throws Exception {
    assertThat(run.exitCode()).as(run.err()).isZero();
    return JSON.readTree(run.out());
  }

  @Test
  void transferWaitsForTheReceiptAndIsVisibleThroughEveryQuery() throws Exception {
    Path aliceKey = net.accountKeyFiles().get(0);
    Ed25519KeyPair bob = KeyFile.load(net.accountKeyFiles().get(1));
    String bobAddress = bob.publicKey().address().toHex();

    JsonNode sent =
        ok(
            CliRun.of(
                "tx",
                "transfer",
                "--node",
                url,
                "--key",
                aliceKey.toString(),
                "--to",
                bobAddress,
                "--amount",
                "40",
                "--wait"));
    String hash = sent.get("hash").asText();
    assertThat(sent.get("committed").get("receipt").get("status").asText()).isEqualTo("OK");
    long height = sent.get("committed").get("height").asLong();

    JsonNode tx = ok(CliRun.of("tx", hash, "--node", url));
    assertThat(tx.get("height").asLong()).isEqualTo(height);
    assertThat(tx.get("tx").get("message").get("to").asText()).isEqualTo(bobAddress);

    JsonNode block = ok(CliRun.of("block", Long.toString(height), "--node", url));
    assertThat(block.get("transactions").findValuesAsText("hash")).contains(hash);
    JsonNode byHash = ok(CliRun.of("block", block.get("hash").asText(), "--node", url));
    assertThat(byHash.get("height").asLong()).isEqualTo(height);
    assertThat(ok(CliRun.of("block", "latest", "--node", url)).get("height").asLong())
        .isGreaterThanOrEqualTo(height);

    JsonNode account = ok(CliRun.of("account", bobAddress, "--node", url));
    assertThat(account.get("balance").asLong()).isEqualTo(1_040);

    // The nonce is fetched from the node, so a second transfer just works.
    JsonNode second =
        ok(
            CliRun.of(
                "tx",
                "transfer",
                "--node",
                url,
                "--key",
                aliceKey.toString(),
                "--to",
                bobAddress,
                "--amount",
                "1",
                "--wait"));
    assertThat(second.get("nonce").asLong()).isEqualTo(sent.get("nonce").asLong() + 1);
  }

  @Test
  void refusedTransferExitsOneWithTheNodesReason() throws Exception {
    Path bobKey = net.accountKeyFiles().get(1);
    String alice = KeyFile.load(net.accountKeyFiles().get(0)).publicKey().address().toHex();

    CliRun broke =
        CliRun.of(
            "tx",
            "transfer",
            "--node",
            url,
            "--key",
            bobKey.toString(),
            "--to",
            alice,
            "--amount",
            "1000000");
    assertThat(broke.exitCode()).isEqualTo(1);
    assertThat(broke.err()).contains("HTTP 422", "INSUFFICIENT_BALANCE");

    CliRun badNonce =
        CliRun.of(
            "tx",
            "transfer",
            "--node",
            url,
            "--key",
            bobKey.toString(),
            "--to",
            alice,
            "--amount",
            "1",
            "--nonce",
            "100000");
    assertThat(badNonce.exitCode()).isEqualTo(1);
    assertThat(badNonce.err()).contains("HTTP 409", "BAD_NONCE");

    CliRun badTo =
        CliRun.of(
            "tx",
            "transfer",
            "--node",
            url,
            "--key",
            bobKey.toString(),
            "--to",
            "abc",
            "--amount",
            "1");
    assertThat(badTo.exitCode()).isEqualTo(2);

    CliRun missing = CliRun.of("tx", "ab".repeat(32), "--node", url);
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("not found");
  }
}
