package org.fedledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.fedledger.node.config.NetworkInitializer;
import org.fedledger.node.config.NodeConfig;
import org.fedledger.node.keys.InsecureKeyFileException;
import org.fedledger.node.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Starting a node from its files: what is refused, and that it can start again after a stop. */
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
    int apiPort = Integer.parseInt(NodeConfig.load(config).apiAddress().split(":")[1]);

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
}
