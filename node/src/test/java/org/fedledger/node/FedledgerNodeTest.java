package org.fedledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Sha256;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.IdxWriter;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.node.blob.BlobClient;
import org.fedledger.node.blob.BlobStore;
import org.fedledger.node.config.DataDirectory;
import org.fedledger.node.config.HostPort;
import org.fedledger.node.config.NetworkInitializer;
import org.fedledger.node.config.NodeConfig;
import org.fedledger.node.keys.InsecureKeyFileException;
import org.fedledger.node.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting a node from its files: what is refused (before anything is created where the files are
 * at fault), and that it can start again after a stop.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FedledgerNodeTest {
  @TempDir Path dir;

  @Test
  void refusesAKeyFileOthersCanRead() throws Exception {
    NetworkInitializer.Network net = TestNetworks.create(dir.resolve("net"), "c", 1, 0, 1);
    Path config = net.configFiles().get(0);
    Path key = NodeConfig.resolve(config, NodeConfig.load(config).keyFile());
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> FedledgerNode.start(config))
        .isInstanceOf(InsecureKeyFileException.class)
        .hasMessageContaining("chmod 600");
  }

  @Test
  void busyApiPortIsAClearErrorAndTheNodeCanStartOnceItIsFree() throws Exception {
    NetworkInitializer.Network net = TestNetworks.create(dir.resolve("net"), "c", 1, 0, 1);
    Path config = net.configFiles().get(0);
    int apiPort = HostPort.parse(NodeConfig.load(config).apiAddress()).port();

    try (ServerSocket squatter = new ServerSocket(apiPort, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> FedledgerNode.start(config))
          .hasMessageContaining("cannot serve the API on 127.0.0.1:" + apiPort)
          .hasMessageContaining("apiAddress");
    }
    // The failed start released the Raft port and the database: a second start works.
    try (FedledgerNode node = FedledgerNode.start(config)) {
      assertThat(node.apiPort()).isEqualTo(apiPort);
    }
  }

  @Test
  void aTrainingNodeServesBlobsOnItsAddressUnderTheChainsRules() throws Exception {
    Path config = trainingNetwork();
    int blobPort = HostPort.parse(NodeConfig.load(config).blobAddress()).port();
    try (FedledgerNode node = FedledgerNode.start(config)) {
      assertThat(node.blobPort()).isEqualTo(blobPort);
      // Signed, and refused by the chain's rule: no job refers to this hash.
      Ed25519KeyPair stranger = Ed25519KeyPair.generate();
      Path tmp = Files.createDirectories(dir.resolve("fetched"));
      assertThatThrownBy(
              () ->
                  new BlobClient(stranger, new BlobStore(tmp), Clock.systemUTC())
                      .fetch("http://127.0.0.1:" + blobPort, Sha256.hash(new byte[] {1})))
          .hasMessageContaining("no job on the chain refers to blob");
    }
  }

  @Test
  void aMissingParticipantKeyIsAClearErrorAndNothingIsCreated() throws Exception {
    Path config = trainingNetwork();
    Path key = config.resolveSibling("../keys/owner-0.json").normalize();
    Files.delete(key);

    assertThatThrownBy(() -> FedledgerNode.start(config))
        .hasMessageContaining(config + ": participant owner-0: " + key)
        .hasMessageContaining("key file not found");
    assertThat(config.resolveSibling("data")).doesNotExist();
  }

  @Test
  void aDataDirectoryWithoutIdxFilesIsAClearErrorAndNothingIsCreated() throws Exception {
    Path config = trainingNetwork();
    Path data = config.resolveSibling("../data/owner-0").normalize();
    Files.delete(data.resolve("train-images-idx3-ubyte"));

    assertThatThrownBy(() -> FedledgerNode.start(config))
        .hasMessageContaining(config + ": participant owner-0: " + data)
        .hasMessageContaining("holds no train-images-idx3-ubyte[.gz]");
    assertThat(config.resolveSibling("data")).doesNotExist();

    Path test = config.resolveSibling("../data/test").normalize();
    Files.delete(test.resolve("t10k-labels-idx1-ubyte"));
    IdxWriter.writeImages(sample(), data.resolve("train-images-idx3-ubyte"));
    assertThatThrownBy(() -> FedledgerNode.start(config))
        .hasMessageContaining(config + ": evaluationDataDir: " + test)
        .hasMessageContaining("holds no t10k-labels-idx1-ubyte[.gz]");
    assertThat(config.resolveSibling("data")).doesNotExist();
  }

  @Test
  void aParticipantWithTheNodesKeyIsRefused() throws Exception {
    Path config = trainingNetwork();
    NodeConfig c = NodeConfig.load(config);
    c.withParticipants(
            List.of(
                new NodeConfig.Participant(
                    NetworkInitializer.VALIDATOR_KEY_FILE, "../data/owner-0", "mine")))
        .save(config);

    assertThatThrownBy(() -> FedledgerNode.start(config))
        .hasMessageContaining("participant mine")
        .hasMessageContaining("needs a key of its own");
  }

  @Test
  void busyBlobPortIsAClearErrorAndTheNodeCanStartOnceItIsFree() throws Exception {
    Path config = trainingNetwork();
    int blobPort = HostPort.parse(NodeConfig.load(config).blobAddress()).port();

    try (ServerSocket squatter = new ServerSocket(blobPort, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> FedledgerNode.start(config))
          .hasMessageContaining("cannot serve blobs on 127.0.0.1:" + blobPort)
          .hasMessageContaining("\"blobAddress\" in " + config);
    }
    // The failed start released the API and Raft ports and the database: a second start works.
    try (FedledgerNode node = FedledgerNode.start(config)) {
      assertThat(node.blobPort()).isEqualTo(blobPort);
    }
  }

  /** One validator with a blob server and one data owner, its data written; returns node.json. */
  private Path trainingNetwork() throws Exception {
    List<Integer> ports = TestNetworks.freePorts(3);
    NetworkInitializer.Network net =
        NetworkInitializer.initialize(
            new NetworkInitializer.Request(
                dir.resolve("net"),
                "c",
                1,
                0,
                1,
                1000,
                i -> new NetworkInitializer.Ports(ports.get(0), ports.get(1), ports.get(2)),
                new NodeConfig.BlockParams(1000, 4 * 1024 * 1024, 20),
                1_700_000_000_000L));
    Path config = net.configFiles().get(0);
    NodeConfig.load(config).withTuning(new NodeConfig.Tuning(300L, null, null)).save(config);
    Path data = net.dir().resolve(NetworkInitializer.DATA_DIR);
    DataDirectory.write(data.resolve("owner-0"), DataDirectory.Part.TRAIN, sample());
    DataDirectory.write(data.resolve("test"), DataDirectory.Part.TEST, sample());
    return config;
  }

  private static LabeledData sample() throws Exception {
    return Datasets.embeddedTestImages().range(0, 20);
  }
}
