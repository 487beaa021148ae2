package org.fedledger.cli.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.node.config.NetworkInitializer;
import org.fedledger.node.config.NodeConfig;

/** Networks on free loopback ports with a short election timeout. */
public final class Networks {
  private Networks() {}

  public static NetworkInitializer.Network create(
      Path dir,
      String chainId,
      int validators,
      int accounts,
      long balance,
      long blockIntervalMillis)
      throws IOException {
    List<Integer> ports = freePorts(2 * validators);
    NetworkInitializer.Network net =
        NetworkInitializer.initialize(
            new NetworkInitializer.Request(
                dir,
                chainId,
                validators,
                accounts,
                balance,
                i -> new NetworkInitializer.Ports(ports.get(2 * i), ports.get(2 * i + 1)),
                new NodeConfig.BlockParams(1000, 4 * 1024 * 1024, blockIntervalMillis),
                1_700_000_000_000L));
    for (Path file : net.configFiles()) {
      NodeConfig c = NodeConfig.load(file);
      new NodeConfig(
              c.nodeId(),
              c.dataDir(),
              c.keyFile(),
              c.genesisFile(),
              c.raftAddress(),
              c.apiAddress(),
              c.peers(),
              c.block(),
              new NodeConfig.Tuning(300L, null, null))
          .save(file);
    }
    return net;
  }

  public static List<Integer> freePorts(int n) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }
}
