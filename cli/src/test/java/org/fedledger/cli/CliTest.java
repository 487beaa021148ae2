package org.fedledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.fedledger.cli.testing.CliRun;
import org.fedledger.node.config.GenesisDocument;
import org.fedledger.node.config.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line without a running node: help, usage errors, init, keys. */
class CliTest {
  @TempDir Path dir;

  @Test
  void helpListsTheCommandsAndExitsZero() {
    CliRun run = CliRun.of("--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("init", "node", "keys", "tx", "block", "account", "simulate", "Exit codes");
    assertThat(CliRun.of("tx", "transfer", "--help").out()).contains("--amount", "--wait");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(CliRun.of().exitCode()).isEqualTo(2);
    assertThat(CliRun.of("frobnicate").exitCode()).isEqualTo(2);
    assertThat(CliRun.of("init", "--validators", "3").err()).contains("--chain-id");
    assertThat(CliRun.of("init", "--validators", "x", "--chain-id", "c", "--dir", "d").exitCode())
        .isEqualTo(2);
    CliRun block = CliRun.of("block", "not-a-block");
    assertThat(block.exitCode()).isEqualTo(2);
    assertThat(block.err()).contains("neither a block height");
    assertThat(CliRun.of("account", "xyz").exitCode()).isEqualTo(2);
    assertThat(CliRun.of("tx", "1234").exitCode()).isEqualTo(2);
    assertThat(CliRun.of("node").exitCode()).isEqualTo(2);
  }

  @Test
  void initCreatesANetworkWithOwnerOnlyKeys() throws Exception {
    Path net = dir.resolve("net");
    CliRun run =
        CliRun.of(
            "init",
            "--validators",
            "3",
            "--chain-id",
            "demo",
            "--dir",
            net.toString(),
            "--accounts",
            "2",
            "--balance",
            "77",
            "--base-port",
            "30000");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("node-2: api https://127.0.0.1:30006", "blobs https://127.0.0.1:30008");
    // Every port speaks TLS: the CA, the admin's certificate and each node's, keys owner-only.
    assertThat(net.resolve("tls/ca.pem")).exists();
    assertThat(net.resolve("tls/crl.pem")).exists();
    assertThat(net.resolve("tls/admin.pem")).exists();
    assertThat(net.resolve("node-2/node.pem")).exists();
    assertThat(Files.readString(net.resolve("node-2/node.json")))
        .contains("\"certFile\" : \"node.pem\"", "\"apiAccess\" : \"members\"");

    GenesisDocument genesis = GenesisDocument.load(net.resolve("genesis.json"));
    assertThat(genesis.validators()).hasSize(3);
    assertThat(genesis.totalSupply()).isEqualTo(3 * 77);
    for (Path key :
        new Path[] {
          net.resolve("keys/admin.json"),
          net.resolve("keys/account-1.json"),
          net.resolve("node-0/validator-key.json"),
          net.resolve("node-2/validator-key.json"),
          net.resolve("tls/ca-key.pem"),
          net.resolve("tls/admin-key.pem"),
          net.resolve("node-2/node-key.pem")
        }) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
          .as(key.toString())
          .isEqualTo("rw-------");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(net.resolve("keys"))))
        .isEqualTo("rwx------");

    CliRun again = CliRun.of("init", "--chain-id", "demo", "--dir", net.toString());
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("already exists");
  }

  @Test
  void initWithOwnersWritesTheirKeysAndTheAgentsConfiguration() throws Exception {
    Path net = dir.resolve("net");
    CliRun run =
        CliRun.of(
            "init",
            "--validators",
            "2",
            "--chain-id",
            "demo",
            "--dir",
            net.toString(),
            "--owners",
            "3",
            "--balance",
            "5");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "runs owner-0: key " + net.resolve("keys/owner-0.json"),
            "runs owner-1: key " + net.resolve("keys/owner-1.json"),
            "dataset split --owners 3 --out " + net.resolve("data"));
    assertThat(GenesisDocument.load(net.resolve("genesis.json")).totalSupply()).isEqualTo(4 * 5);
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(net.resolve("keys/owner-2.json"))))
        .isEqualTo("rw-------");
    NodeConfig node0 = NodeConfig.load(net.resolve("node-0/node.json"));
    assertThat(node0.participants())
        .extracting(NodeConfig.Participant::displayName)
        .containsExactly("owner-0", "owner-2");
    assertThat(node0.blobAddress()).isEqualTo("127.0.0.1:7702");

    CliRun negative =
        CliRun.of(
            "init", "--chain-id", "c", "--dir", dir.resolve("x").toString(), "--owners", "-1");
    assertThat(negative.exitCode()).isEqualTo(1);
    assertThat(negative.err()).contains("--owners must be 0..1000");
    assertThat(dir.resolve("x")).doesNotExist();
  }

  @Test
  void keysGenerateAndShowNeverPrintTheSecret() throws Exception {
    Path key = dir.resolve("k/alice.json");
    CliRun gen = CliRun.of("keys", "generate", "--out", key.toString());
    assertThat(gen.exitCode()).as(gen.err()).isZero();
    String seed =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(key.toFile())
            .get("seed")
            .asText();
    assertThat(gen.out()).contains("address").doesNotContain(seed);
    CliRun show = CliRun.of("keys", "show", "--key", key.toString());
    assertThat(show.exitCode()).isZero();
    assertThat(show.out()).isEqualTo(gen.out()).doesNotContain(seed);

    CliRun overwrite = CliRun.of("keys", "generate", "--out", key.toString());
    assertThat(overwrite.exitCode()).isEqualTo(1);
    assertThat(overwrite.err()).contains("refusing to overwrite");

    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    CliRun insecure = CliRun.of("keys", "show", "--key", key.toString());
    assertThat(insecure.exitCode()).isEqualTo(1);
    assertThat(insecure.err()).contains("readable by its owner only");
  }

  @Test
  void unreachableNodeIsAClearFailure() {
    CliRun run = CliRun.of("block", "1", "--node", "http://127.0.0.1:9");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("cannot reach the node").doesNotContain("Exception");
  }
}
