package org.fedledger.node.config;

import org.fedledger.node.tls.ApiAccess;

/**
 * A node's TLS files ({@code "tls"} in {@code node.json}), relative to the configuration file.
 *
 * @param certFile this node's certificate (a validator's, issued by the CA)
 * @param keyFile its private key (mode 0600)
 * @param caFile the consortium CA's certificate
 * @param crlFile the CA's revocation list, read again whenever it changes
 * @param apiAccess {@code members} (default: a member's or the admin's certificate is required) or
 *     {@code public} (anyone may read, only members write)
 */
public record TlsSettings(
    String certFile, String keyFile, String caFile, String crlFile, String apiAccess) {

  /** Throws naming the field when one is missing or apiAccess is neither members nor public. */
  void validate() {
    require(certFile, "tls.certFile");
    require(keyFile, "tls.keyFile");
    require(caFile, "tls.caFile");
    require(crlFile, "tls.crlFile");
    try {
      ApiAccess.parse(apiAccess);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("\"tls.apiAccess\": " + e.getMessage(), e);
    }
  }

  /** config with tls in place of its own (kept here so that NodeConfig stays short). */
  static NodeConfig replace(NodeConfig c, TlsSettings tls) {
    return new NodeConfig(
        c.nodeId(),
        c.dataDir(),
        c.keyFile(),
        c.genesisFile(),
        c.raftAddress(),
        c.apiAddress(),
        c.blobAddress(),
        c.blobUploaders(),
        c.peers(),
        c.block(),
        c.tuning(),
        c.participants(),
        c.evaluationDataDir(),
        c.serving(),
        tls);
  }

  private static void require(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("\"" + field + "\" is required");
    }
  }
}
