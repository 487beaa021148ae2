package org.fedledger.consensus.node;

import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;

/**
 * Mutual TLS for Raft: the key this node presents and the trust that decides which peers it talks
 * to. One configuration serves Ratis' server, admin and client channels, so a peer is checked the
 * same way whether it dials or is dialled. Consensus knows nothing of certificates beyond these two
 * JDK objects; the node builds them from the consortium's CA.
 *
 * @param keyManager presents this node's certificate
 * @param trustManager accepts only peers whose certificate the consortium's CA issued to a
 *     validator (and has not revoked)
 */
public record RaftTls(KeyManager keyManager, TrustManager trustManager) {
  public RaftTls {
    Objects.requireNonNull(keyManager, "keyManager");
    Objects.requireNonNull(trustManager, "trustManager");
  }

  /** Ratis parameters carrying this TLS for servers and clients; null tls: plaintext. */
  static Parameters parameters(RaftTls tls) {
    Parameters p = new Parameters();
    if (tls != null) {
      GrpcConfigKeys.TLS.setConf(p, new GrpcTlsConfig(tls.keyManager(), tls.trustManager(), true));
    }
    return p;
  }
}
