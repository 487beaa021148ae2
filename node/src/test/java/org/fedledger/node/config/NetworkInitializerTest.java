package org.fedledger.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.node.keys.KeyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkInitializerTest {
  @TempDir Path tmp;

  private NetworkInitializer.Network init(Path dir, int validators, int accounts)
      throws IOException {
    return NetworkInitializer.initialize(
        new NetworkInitializer.Request(
            dir,
            "test-chain",
            validators,
            accounts,
            500,
            NetworkInitializer.Request.consecutivePorts(20000),
            NodeConfig.BlockParams.DEFAULT,
            1_700_000_000_000L));
  }

  @Test
  void writesOwnerOnlyKeysAndAValidGenesisAndConfigs() throws IOException {
    Path dir = tmp.resolve("net");
    NetworkInitializer.Network net = init(dir, 3, 2);

    List<Path> keyFiles;
    try (Stream<Path> files = Files.walk(dir)) {
      keyFiles =
          files
              .filter(
                  p ->
                      p.getFileName().toString().contains("key")
                          || p.getParent().getFileName().toString().equals("keys"))
              .filter(Files::isRegularFile)
              .toList();
    }
    assertThat(keyFiles).hasSize(3 + 1 + 2);
    for (Path k : keyFiles) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(k)))
          .as(k.toString())
          .isEqualTo("rw-------");
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path d : files.filter(Files::isDirectory).toList()) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d)))
            .as(d.toString())
            .isEqualTo("rwx------");
      }
    }

    GenesisDocument genesis = GenesisDocument.load(net.genesisFile());
    assertThat(genesis.chainId()).isEqualTo("test-chain");
    assertThat(genesis.validators()).hasSize(3);
    assertThat(genesis.accounts()).hasSize(3); // admin + 2
    assertThat(genesis.totalSupply()).isEqualTo(1500);
    Ed25519KeyPair admin = KeyFile.load(net.adminKeyFile());
    assertThat(genesis.admin()).isEqualTo(admin.publicKey().address().toHex());
    // The ledger accepts it as its genesis.
    org.fedledger.ledger.Genesis ledgerGenesis = genesis.toGenesis();
    assertThat(ledgerGenesis.totalSupply()).isEqualTo(1500);
    assertThat(ledgerGenesis.validators()).hasSize(3);
    assertThat(org.fedledger.ledger.Ledger.genesisHash(ledgerGenesis)).isNotNull();

    for (int i = 0; i < 3; i++) {
      Path configFile = net.configFiles().get(i);
      NodeConfig config = NodeConfig.load(configFile);
      assertThat(config.nodeId()).isEqualTo("node-" + i);
      assertThat(config.peers()).hasSize(3);
      assertThat(config.apiAddress()).isEqualTo("127.0.0.1:" + (20000 + 3 * i));
      assertThat(config.raftAddress()).isEqualTo("127.0.0.1:" + (20001 + 3 * i));
      assertThat(config.blobAddress()).isEqualTo("127.0.0.1:" + (20002 + 3 * i));
      assertThat(config.peers().get(i).blobAddress()).isEqualTo(config.blobAddress());
      // The admin (a sponsor) may upload initial weights to every node; no owners, no agents.
      assertThat(config.blobUploaders())
          .containsExactly(
              genesis.admin(),
              genesis.accounts().get(1).address(),
              genesis.accounts().get(2).address());
      assertThat(config.participants()).isEmpty();
      assertThat(config.evaluationDataDir()).isNull();
      Ed25519KeyPair key = KeyFile.load(NodeConfig.resolve(configFile, config.keyFile()));
      assertThat(genesis.validators().get(i).publicKey()).isEqualTo(key.publicKey().toHex());
      assertThat(NodeConfig.resolve(configFile, config.genesisFile())).isEqualTo(net.genesisFile());
    }
  }

  @Test
  void ownersAreFundedAndSpreadOverTheNodes() throws IOException {
    NetworkInitializer.Network net =
        NetworkInitializer.initialize(
            new NetworkInitializer.Request(
                tmp.resolve("net"),
                "test-chain",
                2,
                0,
                3,
                500,
                NetworkInitializer.Request.consecutivePorts(20000),
                NodeConfig.BlockParams.DEFAULT,
                1_700_000_000_000L));
    assertThat(net.ownerKeyFiles()).hasSize(3);
    GenesisDocument genesis = GenesisDocument.load(net.genesisFile());
    assertThat(genesis.accounts()).hasSize(1 + 3);
    for (int k = 0; k < 3; k++) {
      Ed25519KeyPair owner = KeyFile.load(net.ownerKeyFiles().get(k));
      assertThat(genesis.accounts().get(1 + k).address())
          .isEqualTo(owner.publicKey().address().toHex());
    }
    // owner-0 and owner-2 run in node-0, owner-1 in node-1; each node scores on the test data.
    NodeConfig node0 = NodeConfig.load(net.configFiles().get(0));
    NodeConfig node1 = NodeConfig.load(net.configFiles().get(1));
    assertThat(node0.participants())
        .containsExactly(
            new NodeConfig.Participant("../keys/owner-0.json", "../data/owner-0"),
            new NodeConfig.Participant("../keys/owner-2.json", "../data/owner-2"));
    assertThat(node1.participants())
        .containsExactly(new NodeConfig.Participant("../keys/owner-1.json", "../data/owner-1"));
    assertThat(NodeConfig.resolve(net.configFiles().get(1), node1.participants().get(0).keyFile()))
        .isEqualTo(net.ownerKeyFiles().get(1));
    assertThat(node1.evaluationDataDir()).isEqualTo("../data/test");
  }

  @Test
  void ownersWithoutBlobServersAreRefusedBeforeAnythingIsWritten() {
    Path dir = tmp.resolve("net");
    assertThatThrownBy(
            () ->
                NetworkInitializer.initialize(
                    new NetworkInitializer.Request(
                        dir,
                        "c",
                        1,
                        0,
                        1,
                        5,
                        i -> new NetworkInitializer.Ports(20000, 20001),
                        NodeConfig.BlockParams.DEFAULT,
                        0)))
        .hasMessageContaining("blob server");
    assertThat(dir).doesNotExist();
  }

  @Test
  void refusesToOverwriteAnExistingNetwork() throws IOException {
    Path dir = tmp.resolve("net");
    init(dir, 1, 0);
    String before = Files.readString(dir.resolve("genesis.json"));
    assertThatThrownBy(() -> init(dir, 1, 0)).hasMessageContaining("already exists");
    assertThat(Files.readString(dir.resolve("genesis.json"))).isEqualTo(before);
  }

  @Test
  void badRequestsAreRefusedWithTheOptionName() {
    assertThatThrownBy(
            () ->
                new NetworkInitializer.Request(
                    tmp,
                    "c",
                    0,
                    0,
                    1,
                    NetworkInitializer.Request.consecutivePorts(20000),
                    NodeConfig.BlockParams.DEFAULT,
                    0))
        .hasMessageContaining("--validators");
    assertThatThrownBy(
            () ->
                new NetworkInitializer.Request(
                    tmp,
                    " ",
                    1,
                    0,
                    1,
                    NetworkInitializer.Request.consecutivePorts(20000),
                    NodeConfig.BlockParams.DEFAULT,
                    0))
        .hasMessageContaining("--chain-id");
    assertThatThrownBy(() -> NetworkInitializer.Request.consecutivePorts(80))
        .hasMessageContaining("--base-port");
    assertThatThrownBy(
            () ->
                new NetworkInitializer.Request(
                    tmp,
                    "c",
                    1,
                    0,
                    -1,
                    1,
                    NetworkInitializer.Request.consecutivePorts(20000),
                    NodeConfig.BlockParams.DEFAULT,
                    0))
        .hasMessageContaining("--owners");
  }

  @Test
  void aRaftHostNameIsWhatTheChainAndEveryPeerRecord() throws IOException {
    NetworkInitializer.Network net =
        NetworkInitializer.initialize(
            new NetworkInitializer.Request(
                tmp.resolve("net"),
                "test-chain",
                2,
                0,
                500,
                i ->
                    new NetworkInitializer.Ports(
                        20000 + 2 * i, 20001 + 2 * i, 0, "node-" + i + ".lan"),
                NodeConfig.BlockParams.DEFAULT,
                1_700_000_000_000L));
    GenesisDocument genesis = GenesisDocument.load(net.genesisFile());
    assertThat(genesis.validators().get(1).raftAddress()).isEqualTo("node-1.lan:20003");
    NodeConfig config = NodeConfig.load(net.configFiles().get(0));
    assertThat(config.raftAddress()).isEqualTo("node-0.lan:20001");
    assertThat(config.peers().get(1).raftAddress()).isEqualTo("node-1.lan:20003");
    // The API stays on loopback: only Raft's host is chosen.
    assertThat(config.apiAddress()).isEqualTo("127.0.0.1:20000");
  }
}
