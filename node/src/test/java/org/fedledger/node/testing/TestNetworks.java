package org.fedledger.node.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.fedledger.node.config.NetworkInitializer;
import org.fedledger.node.config.NodeConfig;
import org.fedledger.node.tls.ApiAccess;
import org.fedledger.node.tls.NetworkCertificates;
import org.fedledger.testkit.FreePorts;

/** Creates networks on free loopback ports, tuned for fast tests (short election timeout). */
public final class TestNetworks {
  private TestNetworks() {}

  public static NetworkInitializer.Network create(
      Path dir, String chainId, int validators, int accounts, long balance) throws IOException {
    return create(dir, chainId, validators, accounts, balance, 20);
  }

  /** As above, the leader cutting a block after blockIntervalMillis when fewer are pending. */
  public static NetworkInitializer.Network create(
      Path dir,
      String chainId,
      int validators,
      int accounts,
      long balance,
      long blockIntervalMillis)
      throws IOException {
    List<Integer> ports = FreePorts.distinct(2 * validators);
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

  /**
   * Gives a network made here the consortium's TLS, as {@code fedledger init} does: a CA in {@code
   * DIR/tls}, the admin's client certificate, and each node's validator certificate named in its
   * configuration. Returns the files written; clients load {@code adminCert} with TlsIdentity.
   */
  public static NetworkCertificates.Written secure(NetworkInitializer.Network net, ApiAccess access)
      throws IOException {
    return NetworkCertificates.issue(net, access, Instant.now());
  }
}
