package org.fedledger.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFilesTest {
  @TempDir Path dir;

  private static GenesisDocument genesis(
      List<GenesisDocument.Validator> validators, List<GenesisDocument.Account> accounts) {
    return new GenesisDocument(
        "c",
        0,
        Ed25519KeyPair.generate().publicKey().address().toHex(),
        validators,
        accounts,
        null);
  }

  private static GenesisDocument.Validator validator(String id) {
    return new GenesisDocument.Validator(
        id, Ed25519KeyPair.generate().publicKey().toHex(), 1, "127.0.0.1:1", "127.0.0.1:2");
  }

  @Test
  void genesisRoundTripsAndRejectsEachBadField() throws IOException {
    String addr = Ed25519KeyPair.generate().publicKey().address().toHex();
    GenesisDocument good =
        genesis(List.of(validator("a")), List.of(new GenesisDocument.Account(addr, 7)));
    Path file = dir.resolve("g.json");
    good.save(file);
    assertThat(GenesisDocument.load(file)).isEqualTo(good);

    assertThatThrownBy(() -> genesis(List.of(), List.of()).validate())
        .hasMessageContaining("at least one validator");
    assertThatThrownBy(() -> genesis(List.of(validator("a"), validator("a")), List.of()).validate())
        .hasMessageContaining("not unique");
    assertThatThrownBy(
            () ->
                genesis(
                        List.of(new GenesisDocument.Validator("a", "xyz", 1, "h:1", "h:2")),
                        List.of())
                    .validate())
        .hasMessageContaining("publicKey");
    assertThatThrownBy(
            () ->
                genesis(List.of(validator("a")), List.of(new GenesisDocument.Account(addr, -1)))
                    .validate())
        .hasMessageContaining("negative");
    assertThatThrownBy(
            () ->
                genesis(
                        List.of(validator("a")),
                        List.of(
                            new GenesisDocument.Account(addr, 1),
                            new GenesisDocument.Account(addr, 2)))
                    .validate())
        .hasMessageContaining("duplicate account");
    assertThatThrownBy(
            () ->
                genesis(List.of(validator("a")), List.of(new GenesisDocument.Account("12", 1)))
                    .validate())
        .hasMessageContaining("40-hex-digit");
    GenesisDocument tiny =
        new GenesisDocument(
            "c", 0, addr, List.of(validator("a")), List.of(), new GenesisDocument.Limits(10, 1024));
    assertThatThrownBy(tiny::validate)
        .hasMessageContaining("\"blockLimits\": ")
        .hasMessageContaining("512 KiB");
    // Absent, the limits are the defaults, and a genesis that names them keeps them.
    assertThat(good.toGenesis().blockLimits()).isEqualTo(org.fedledger.ledger.BlockLimits.DEFAULT);
    GenesisDocument small =
        new GenesisDocument(
            "c",
            0,
            addr,
            List.of(validator("a")),
            List.of(),
            new GenesisDocument.Limits(100, 1 << 20));
    small.save(file);
    assertThat(GenesisDocument.load(file).toGenesis().blockLimits())
        .isEqualTo(new org.fedledger.ledger.BlockLimits(100, 1 << 20));
    Files.writeString(file, Files.readString(file).replace("\"blockLimits\"", "\"ignoredLimits\""));
    assertThatThrownBy(() -> GenesisDocument.load(file)).hasMessageContaining("ignoredLimits");

    Files.writeString(file, "{\"chainId\": 5, ");
    assertThatThrownBy(() -> GenesisDocument.load(file))
        .hasMessageContaining("not a genesis document");
  }

  @Test
  void nodeConfigRejectsMissingFieldsAndStrangers() throws IOException {
    NodeConfig.Peer self = new NodeConfig.Peer("n0", "127.0.0.1:1", "127.0.0.1:2");
    NodeConfig good =
        new NodeConfig(
            "n0", "data", "k.json", "g.json", "127.0.0.1:1", "127.0.0.1:2", List.of(self), null);
    Path file = dir.resolve("node.json");
    good.save(file);
    NodeConfig loaded = NodeConfig.load(file);
    assertThat(loaded).isEqualTo(good);
    assertThat(loaded.block()).isEqualTo(NodeConfig.BlockParams.DEFAULT);
    assertThat(NodeConfig.resolve(file, "data")).isEqualTo(dir.resolve("data"));

    assertThatThrownBy(
            () ->
                new NodeConfig(
                        "n9", "d", "k", "g", "127.0.0.1:1", "127.0.0.1:2", List.of(self), null)
                    .validate())
        .hasMessageContaining("not one of \"peers\"");
    assertThatThrownBy(
            () ->
                new NodeConfig("n0", "d", "k", "g", "nohost", "127.0.0.1:2", List.of(self), null)
                    .validate())
        .hasMessageContaining("host:port");
    assertThatThrownBy(
            () ->
                new NodeConfig(
                        "n0", null, "k", "g", "127.0.0.1:1", "127.0.0.1:2", List.of(self), null)
                    .validate())
        .hasMessageContaining("dataDir");
    assertThatThrownBy(
            () ->
                new NodeConfig(
                        "n0",
                        "d",
                        "k",
                        "g",
                        "127.0.0.1:1",
                        "127.0.0.1:2",
                        List.of(self),
                        new NodeConfig.BlockParams(100, 64 * 1024, 50))
                    .validate())
        .hasMessageContaining("maxBytes at least 524288");
    assertThat(NodeConfig.BlockParams.DEFAULT.intervalMillis())
        .isEqualTo(org.fedledger.consensus.block.BlockParams.DEFAULT_INTERVAL.toMillis());
    Files.writeString(file, "{\"nodeId\":\"n0\",\"unknownField\":1}");
    assertThatThrownBy(() -> NodeConfig.load(file))
        .hasMessageContaining("not a node configuration");
  }

  @Test
  void trainingFieldsRoundTripAndAreChecked() throws IOException {
    String sponsor = Ed25519KeyPair.generate().publicKey().address().toHex();
    NodeConfig.Peer self = new NodeConfig.Peer("n0", "127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3");
    NodeConfig good =
        training(
            "127.0.0.1:3",
            List.of(sponsor),
            List.of(self),
            List.of(new NodeConfig.Participant("../keys/owner-0.json", "../data/owner-0")),
            "../data/test");
    assertThatThrownBy(
            () ->
                training("0.0.0.0:3", List.of(sponsor), List.of(self), List.of(), null).validate())
        .hasMessageContaining("\"blobAddress\": 0.0.0.0:3 would be announced on the chain");
    Path file = dir.resolve("node.json");
    good.save(file);
    assertThat(NodeConfig.load(file)).isEqualTo(good);
    assertThat(good.participants().get(0).displayName()).isEqualTo("owner-0");
    // A ledger-only configuration writes none of the training fields.
    NodeConfig.Peer plain = new NodeConfig.Peer("n0", "127.0.0.1:1", "127.0.0.1:2");
    new NodeConfig("n0", "d", "k", "g", "127.0.0.1:1", "127.0.0.1:2", List.of(plain), null)
        .save(file);
    assertThat(Files.readString(file))
        .doesNotContain("blobAddress", "participants", "blobUploaders", "evaluationDataDir");

    NodeConfig.Participant owner = new NodeConfig.Participant("k.json", "data");
    assertThatThrownBy(() -> training("127.0.0.1:x", List.of(), List.of(self), List.of(), null))
        .hasMessageContaining("\"blobAddress\": port is not a number");
    assertThatThrownBy(
            () -> training("127.0.0.1:3", List.of("abc"), List.of(self), List.of(), null))
        .hasMessageContaining("\"blobUploaders\": an address is 40 hex digits");
    assertThatThrownBy(() -> training(null, List.of(), List.of(self), List.of(owner), null))
        .hasMessageContaining("need a \"blobAddress\"");
    assertThatThrownBy(() -> training(null, List.of(), List.of(self), List.of(), "test"))
        .hasMessageContaining("need a \"blobAddress\"");
    assertThatThrownBy(
            () -> training("127.0.0.1:3", List.of(), List.of(self), List.of(owner, owner), null))
        .hasMessageContaining("appears twice");
    assertThatThrownBy(
            () ->
                training(
                    "127.0.0.1:3",
                    List.of(),
                    List.of(self),
                    List.of(new NodeConfig.Participant("k.json", null)),
                    null))
        .hasMessageContaining("participants[].dataDir");
    assertThatThrownBy(
            () ->
                training(
                    "127.0.0.1:3",
                    List.of(),
                    List.of(new NodeConfig.Peer("n0", "127.0.0.1:1", "127.0.0.1:2", "nohost")),
                    List.of(),
                    null))
        .hasMessageContaining("\"peers[].blobAddress\"");
  }

  @Test
  void anOwnersAttackRoundTripsAndAnUnknownOneIsRefusedWithTheValidOnes() throws IOException {
    NodeConfig.Peer self = new NodeConfig.Peer("n0", "127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3");
    NodeConfig good =
        training(
            "127.0.0.1:3",
            List.of(),
            List.of(self),
            List.of(
                new NodeConfig.Participant("a.json", "a", "mallory", null, "sign-flip:4"),
                new NodeConfig.Participant("b.json", "b", "bob", null, "none"),
                new NodeConfig.Participant("c.json", "c")),
            null);
    Path file = dir.resolve("node.json");
    good.save(file);
    NodeConfig loaded = NodeConfig.load(file);
    assertThat(loaded).isEqualTo(good);
    assertThat(loaded.participants().get(0).parsedAttack().name()).isEqualTo("sign-flip:4.0");
    assertThat(loaded.participants().get(1).parsedAttack()).as("none is honest").isNull();
    assertThat(loaded.participants().get(2).parsedAttack()).as("absent is honest").isNull();
    assertThat(Files.readString(file)).contains("\"attack\" : \"sign-flip:4\"");

    assertThatThrownBy(
            () ->
                training(
                    "127.0.0.1:3",
                    List.of(),
                    List.of(self),
                    List.of(new NodeConfig.Participant("a.json", "a", null, null, "poison")),
                    null))
        .hasMessageContaining("\"participants[].attack\"")
        .hasMessageContaining("unknown attack 'poison'")
        .hasMessageContaining("sign-flip[:SCALE]");
    assertThatThrownBy(
            () ->
                new NodeConfig(
                        "n0",
                        "data",
                        "k.json",
                        "g.json",
                        "127.0.0.1:1",
                        "127.0.0.1:2",
                        List.of(self),
                        null,
                        new NodeConfig.Tuning(null, null, null, 0L))
                    .validate())
        .hasMessageContaining("deadlineTickMillis must be positive");
  }

  @Test
  void servingSettingsDefaultWhenAbsentAndRefuseNonPositiveValues() throws IOException {
    NodeConfig.Peer self = new NodeConfig.Peer("n0", "127.0.0.1:1", "127.0.0.1:2");
    NodeConfig plain =
        new NodeConfig("n0", "d", "k", "g", "127.0.0.1:1", "127.0.0.1:2", List.of(self), null);
    assertThat(plain.serving().claimThresholdOrDefault())
        .isEqualTo(NodeConfig.Serving.DEFAULT_CLAIM_THRESHOLD);
    assertThat(plain.serving().expiryMarginOrDefault())
        .isEqualTo(NodeConfig.Serving.DEFAULT_EXPIRY_MARGIN);
    assertThat(plain.serving().claimIntervalMillisOrDefault())
        .isEqualTo(NodeConfig.Serving.DEFAULT_CLAIM_INTERVAL_MILLIS);

    Path file = dir.resolve("serving.json");
    plain.withServing(new NodeConfig.Serving(50L, 5L, 200L)).save(file);
    assertThat(Files.readString(file)).contains("\"claimThreshold\" : 50");
    NodeConfig loaded = NodeConfig.load(file);
    assertThat(loaded.serving().claimThresholdOrDefault()).isEqualTo(50);
    assertThat(loaded.serving().expiryMarginOrDefault()).isEqualTo(5);
    assertThat(loaded.serving().claimIntervalMillisOrDefault()).isEqualTo(200);

    assertThatThrownBy(() -> plain.withServing(new NodeConfig.Serving(0L, null, null)).validate())
        .hasMessageContaining("\"serving\": claimThreshold must be at least 1 token, got 0");
    assertThatThrownBy(() -> plain.withServing(new NodeConfig.Serving(null, 0L, null)).validate())
        .hasMessageContaining("\"serving\": expiryMargin must be at least 1 block, got 0");
    assertThatThrownBy(() -> plain.withServing(new NodeConfig.Serving(null, null, -5L)).validate())
        .hasMessageContaining("\"serving\": claimIntervalMillis must be positive, got -5");
    // A file with a bad value is refused as a whole, naming the file.
    Files.writeString(
        file, Files.readString(file).replace("\"claimThreshold\" : 50", "\"claimThreshold\" : -1"));
    assertThatThrownBy(() -> NodeConfig.load(file))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("claimThreshold must be at least 1 token");
  }

  private static NodeConfig training(
      String blobAddress,
      List<String> uploaders,
      List<NodeConfig.Peer> peers,
      List<NodeConfig.Participant> participants,
      String evaluation) {
    return new NodeConfig(
            "n0",
            "data",
            "k.json",
            "g.json",
            "127.0.0.1:1",
            "127.0.0.1:2",
            blobAddress,
            uploaders,
            peers,
            null,
            null,
            participants,
            evaluation)
        .validate();
  }

  @Test
  void hostPortParsesAndRejects() {
    assertThat(HostPort.parse("0.0.0.0:80").isWildcard()).isTrue();
    assertThat(HostPort.parse("[::]:80").isWildcard()).isTrue();
    assertThat(HostPort.parse("[0:0:0:0:0:0:0:0]:80").isWildcard()).isTrue();
    assertThat(HostPort.parse("127.0.0.1:80").isWildcard()).isFalse();
    assertThat(HostPort.parse("[::1]:80").isWildcard()).isFalse();
    assertThat(HostPort.parse("10.0.0.1:80").isWildcard()).isFalse();
    assertThat(HostPort.parse("127.0.0.1:8080")).isEqualTo(new HostPort("127.0.0.1", 8080));
    assertThat(HostPort.parse("[::1]:80")).isEqualTo(new HostPort("::1", 80));
    assertThat(HostPort.parse("[::1]:80").toString()).isEqualTo("[::1]:80");
    assertThatThrownBy(() -> HostPort.parse("host:")).hasMessageContaining("host:port");
    assertThatThrownBy(() -> HostPort.parse("host:abc")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> HostPort.parse("host:70000")).hasMessageContaining("0..65535");
  }
}
