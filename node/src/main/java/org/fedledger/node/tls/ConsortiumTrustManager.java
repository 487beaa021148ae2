package org.fedledger.node.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Set;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts a peer's certificate only if the consortium's CA issued it (PKIX), it is within its
 * validity, the CA's revocation list does not name it, and it carries a role this port accepts. The
 * revocation list is read again whenever its file changes, so {@code fedledger cert revoke} takes
 * effect on running nodes at their next handshake. Every refusal is logged here, on the refusing
 * side, with the certificate and the reason.
 *
 * <p>A plain {@link X509TrustManager} on purpose: the JDK wraps it with its own endpoint
 * identification (host name against the SAN) and algorithm constraints.
 */
public final class ConsortiumTrustManager implements X509TrustManager {
  private static final Logger log = LoggerFactory.getLogger(ConsortiumTrustManager.class);

  private final String port;
  private final X509Certificate ca;
  private final Path crlFile;
  private final Set<Role> accepted;
  private final Clock clock;
  private final boolean logClientRefusals;
  private volatile Loaded crl;

  private record Loaded(X509CRL crl, FileTime modified, long size) {}

  /**
   * @param port what is being protected, for the log ("API", "blob server", "Raft")
   * @param crlFile the CA's revocation list (PEM), signed by ca; null: revocation is not checked (a
   *     client that holds no CRL still knows the CA)
   * @param accepted the roles a peer's certificate may carry here
   */
  public ConsortiumTrustManager(
      String port, X509Certificate ca, Path crlFile, Set<Role> accepted, Clock clock)
      throws IOException {
    this(port, ca, crlFile, accepted, clock, true);
  }

  /**
   * As above; with logClientRefusals false, a refused client certificate is not logged here but
   * left to the server that refuses the connection, which knows where it came from (Raft's port
   * logs one line per refused handshake, with this refusal's message in it).
   */
  public ConsortiumTrustManager(
      String port,
      X509Certificate ca,
      Path crlFile,
      Set<Role> accepted,
      Clock clock,
      boolean logClientRefusals)
      throws IOException {
    this.logClientRefusals = logClientRefusals;
    this.port = port;
    this.ca = ca;
    this.crlFile = crlFile;
    this.accepted = Set.copyOf(accepted);
    this.clock = clock;
    this.crl = crlFile == null ? null : load();
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain, "client");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain, "server");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[] {ca};
  }

  /** The roles this port accepts. */
  public Set<Role> accepted() {
    return accepted;
  }

  private void check(X509Certificate[] chain, String side) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw refuse(side, "(none)", "no certificate was presented");
    }
    X509Certificate leaf = chain[0];
    String who = CertificateInfo.describe(leaf);
    String invalid = pkixProblem(leaf);
    if (invalid != null) {
      throw refuse(side, who, invalid);
    }
    Role role = Role.of(leaf);
    if (role == null || !accepted.contains(role)) {
      throw refuse(
          side,
          who,
          "its role is "
              + (role == null ? "none" : role.label())
              + ", and this port accepts "
              + accepted.stream().map(Role::label).sorted().toList());
    }
  }

  private CertificateException refuse(String side, String who, String reason) {
    String message = port + " refused " + side + " certificate " + who + ": " + reason;
    if (logClientRefusals || !side.equals("client")) {
      log.warn("TLS: {}", message);
    }
    return new CertificateException(message);
  }

  /** Null if PKIX accepts leaf under the CA and the current CRL, else why not. */
  private String pkixProblem(X509Certificate leaf) {
    Loaded current = crlFile == null ? null : reloadIfChanged();
    try {
      PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
      if (current != null) {
        params.addCertStore(
            CertStore.getInstance(
                "Collection", new CollectionCertStoreParameters(List.of(current.crl()))));
      }
      params.setRevocationEnabled(current != null);
      params.setDate(Date.from(clock.instant()));
      CertPathValidator.getInstance("PKIX")
          .validate(
              CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
      return null;
    } catch (CertPathValidatorException e) {
      return reason(e, leaf);
    } catch (GeneralSecurityException e) {
      return "it cannot be validated: " + e.getMessage();
    }
  }

  private String reason(CertPathValidatorException e, X509Certificate leaf) {
    CertPathValidatorException.Reason r = e.getReason();
    if (r == CertPathValidatorException.BasicReason.EXPIRED) {
      return "it expired on " + leaf.getNotAfter().toInstant();
    }
    if (r == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
      return "it is not valid before " + leaf.getNotBefore().toInstant();
    }
    if (r == CertPathValidatorException.BasicReason.REVOKED) {
      return "it is revoked (on the CRL " + crlFile + ")";
    }
    if (!leaf.getIssuerX500Principal().equals(ca.getSubjectX500Principal())
        || r == CertPathValidatorException.BasicReason.INVALID_SIGNATURE
        || r == java.security.cert.PKIXReason.NO_TRUST_ANCHOR) {
      return "it was not issued by this consortium's CA ("
          + ca.getSubjectX500Principal().getName()
          + "); its issuer is "
          + leaf.getIssuerX500Principal().getName();
    }
    return "it does not validate: " + e.getMessage();
  }

  private Loaded reloadIfChanged() {
    Loaded current = crl;
    try {
      FileTime modified = Files.getLastModifiedTime(crlFile);
      long size = Files.size(crlFile);
      if (modified.equals(current.modified()) && size == current.size()) {
        return current;
      }
      Loaded fresh = load();
      crl = fresh;
      log.info("TLS: {} reloaded the revocation list {}", port, crlFile);
      return fresh;
    } catch (IOException e) {
      // A half-written or removed CRL must not open the door: keep the last good one.
      log.error("TLS: {} keeps its last revocation list: cannot read {}: {}", port, crlFile, e);
      return current;
    }
  }

  private Loaded load() throws IOException {
    FileTime modified = Files.getLastModifiedTime(crlFile);
    long size = Files.size(crlFile);
    X509CRL list = Pem.readCrl(crlFile);
    try {
      list.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new IOException(
          crlFile + " is not signed by the consortium's CA; write it with `fedledger cert revoke`",
          e);
    }
    return new Loaded(list, modified, size);
  }
}
