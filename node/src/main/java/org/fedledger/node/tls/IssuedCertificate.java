package org.fedledger.node.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A certificate and its private key, as issued (or loaded from {@code NAME.pem} + key file). */
public record IssuedCertificate(X509Certificate certificate, PrivateKey key) {
  /** The role the certificate carries. */
  public Role role() {
    return Role.of(certificate);
  }
}
