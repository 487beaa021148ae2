package org.fedledger.node.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.fedledger.consensus.node.RaftTls;

/**
 * A node's TLS, from its certificate (a validator's), the consortium's CA and revocation list: the
 * API's and blob server's server side, the Raft side, and the client side its agents use to fetch
 * blobs from peers.
 */
public final class NodeTls {
  /** API clients: members and the admin. A validator's certificate is no API client's. */
  public static final Set<Role> API_CLIENTS = Set.of(Role.MEMBER, Role.ADMIN);

  /** Blob clients: peers' agents (validators), and members and the admin uploading or auditing. */
  public static final Set<Role> BLOB_CLIENTS = Set.of(Role.VALIDATOR, Role.MEMBER, Role.ADMIN);

  /** Who serves: every server of the network is a validator node. */
  public static final Set<Role> SERVERS = Set.of(Role.VALIDATOR);

  private final TlsIdentity identity;
  private final ApiAccess apiAccess;

  public NodeTls(TlsIdentity identity, ApiAccess apiAccess) {
    if (identity.role() != Role.VALIDATOR) {
      throw new IllegalArgumentException(
          "a node serves with a validator's certificate, and "
              + CertificateInfo.describe(identity.own().certificate())
              + " is not one; issue one with `fedledger cert issue --role validator`");
    }
    this.identity = identity;
    this.apiAccess = apiAccess;
  }

  /** Loads the node's certificate and key (owner-only), the CA and the CRL. */
  public static NodeTls load(Path cert, Path key, Path ca, Path crl, ApiAccess access)
      throws IOException {
    try {
      return new NodeTls(TlsIdentity.load(cert, key, ca, crl), access);
    } catch (IllegalArgumentException e) {
      throw new IOException(cert + ": " + e.getMessage(), e);
    }
  }

  public TlsIdentity identity() {
    return identity;
  }

  public ApiAccess apiAccess() {
    return apiAccess;
  }

  public ServerTls api() {
    return new ServerTls(
        "API", identity.sslContext("API", API_CLIENTS), apiAccess == ApiAccess.MEMBERS);
  }

  public ServerTls blobs() {
    return new ServerTls("blob server", identity.sslContext("blob server", BLOB_CLIENTS), true);
  }

  /** For this node's agents fetching from peers' blob servers. */
  public SSLContext peerClient() {
    return identity.sslContext("blob client", SERVERS);
  }

  /**
   * Raft's: a refused client certificate is logged by the Raft port with the peer's address (one
   * line per refused handshake, consensus' HandshakeRefusalLog), a refused server certificate here.
   */
  public RaftTls raft() {
    return new RaftTls(identity.keyManager(), identity.trustManager("Raft", SERVERS, false));
  }
}
