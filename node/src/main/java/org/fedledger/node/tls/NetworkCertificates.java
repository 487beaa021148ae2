package org.fedledger.node.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.fedledger.core.address.Address;
import org.fedledger.node.config.HostPort;
import org.fedledger.node.config.NetworkInitializer;
import org.fedledger.node.config.NodeConfig;
import org.fedledger.node.config.TlsSettings;
import org.fedledger.node.keys.KeyFile;

/**
 * Secures a network laid out by {@link NetworkInitializer}: creates the consortium's CA in {@code
 * DIR/tls} (with an empty revocation list), the admin's client certificate {@code
 * DIR/tls/admin.pem} with {@code admin-key.pem}, and each node's validator certificate {@code
 * node-I/node.pem} with {@code node-key.pem} beside its configuration, which then names them.
 */
public final class NetworkCertificates {
  public static final String TLS_DIR = "tls";
  public static final String ADMIN_CERT = "admin.pem";
  public static final String ADMIN_KEY = "admin-key.pem";
  public static final String NODE_CERT = "node.pem";
  public static final String NODE_KEY = "node-key.pem";

  /** What was written: the CA's directory and the admin's client files. */
  public record Written(CaDirectory ca, Path adminCert, Path adminKey) {}

  private NetworkCertificates() {}

  public static Written issue(NetworkInitializer.Network net, ApiAccess access, Instant now)
      throws IOException {
    CaDirectory ca = CaDirectory.create(net.dir().resolve(TLS_DIR), net.genesis().chainId(), now);
    Path adminCert = ca.dir().resolve(ADMIN_CERT);
    Path adminKey = ca.dir().resolve(ADMIN_KEY);
    ca.issue(
        CertificateRequest.builder()
            .setName("admin")
            .setRole(Role.ADMIN)
            .setNotBefore(now)
            .optAccount(KeyFile.load(net.adminKeyFile()).publicKey().address())
            .build(),
        adminCert,
        adminKey);
    for (Path configFile : net.configFiles()) {
      NodeConfig config = NodeConfig.load(configFile);
      Address account =
          KeyFile.load(NodeConfig.resolve(configFile, config.keyFile())).publicKey().address();
      Path nodeDir = configFile.toAbsolutePath().getParent();
      ca.issue(
          validatorRequest(config.nodeId(), account, hostsOf(config), now),
          nodeDir.resolve(NODE_CERT),
          nodeDir.resolve(NODE_KEY));
      config
          .withTls(
              new TlsSettings(
                  NODE_CERT,
                  NODE_KEY,
                  "../" + TLS_DIR + "/" + CaDirectory.CA,
                  "../" + TLS_DIR + "/" + CaDirectory.CRL,
                  access.label()))
          .save(configFile);
    }
    return new Written(ca, adminCert, adminKey);
  }

  /** A validator's certificate request, naming the hosts peers and clients dial it at. */
  public static CertificateRequest validatorRequest(
      String name, Address account, List<String> hosts, Instant now) {
    CertificateRequest.Builder b =
        CertificateRequest.builder()
            .setName(name)
            .setRole(Role.VALIDATOR)
            .setNotBefore(now)
            .optAccount(account);
    hosts.forEach(b::optHost);
    return b.build();
  }

  /** Loopback and every host the node listens on: what a peer or a client dials. */
  static List<String> hostsOf(NodeConfig config) {
    Set<String> hosts = new LinkedHashSet<>(List.of("127.0.0.1", "localhost"));
    List<String> addresses = new ArrayList<>();
    addresses.add(config.raftAddress());
    addresses.add(config.apiAddress());
    if (config.blobAddress() != null) {
      addresses.add(config.blobAddress());
    }
    for (String a : addresses) {
      HostPort hp = HostPort.parse(a);
      if (!hp.isWildcard()) {
        hosts.add(hp.host());
      }
    }
    return List.copyOf(hosts);
  }
}
