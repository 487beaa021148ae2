package org.fedledger.node.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.fedledger.node.keys.SecureFiles;

/**
 * Who this process is on the wire and whom it trusts: its certificate and key (absent for an
 * anonymous client of a public API), the consortium's CA, and the CA's revocation list. Makes the
 * {@link SSLContext}s of its servers and clients, and the key and trust managers Ratis takes.
 *
 * @param own this process's certificate and key; null for a client that shows none
 * @param crlFile the CA's revocation list; null for a client that holds none (then revocation of
 *     the servers it talks to is not checked)
 */
public record TlsIdentity(IssuedCertificate own, X509Certificate ca, Path crlFile, Clock clock) {
  /** TLS 1.3 only: every side is ours, so no older protocol needs to be spoken. */
  public static final String PROTOCOL = "TLSv1.3";

  /**
   * Loads a certificate and its key, refusing a key file that others may read, a certificate that
   * the CA did not issue, and a key that does not belong to the certificate.
   */
  public static TlsIdentity load(Path certFile, Path keyFile, Path caFile, Path crlFile)
      throws IOException {
    X509Certificate ca = Pem.readCertificate(caFile);
    X509Certificate cert = Pem.readCertificate(certFile);
    SecureFiles.requireOwnerOnly(keyFile);
    java.security.PrivateKey key = Pem.readPrivateKey(keyFile);
    try {
      CertificateAuthority.requireIssuedBy(cert, ca);
    } catch (CertificateException e) {
      throw new IOException(
          certFile + " was not issued by the CA in " + caFile + ": " + e.getMessage(), e);
    }
    if (!keyMatches(cert, key)) {
      throw new IOException(
          keyFile + " is not the key of the certificate " + certFile + "; issue them together");
    }
    return new TlsIdentity(new IssuedCertificate(cert, key), ca, crlFile, Clock.systemUTC());
  }

  /** A client that shows no certificate (a public API's reader), trusting the CA in caFile. */
  public static TlsIdentity anonymous(Path caFile) throws IOException {
    return new TlsIdentity(null, Pem.readCertificate(caFile), null, Clock.systemUTC());
  }

  /** The role of this identity's certificate, or null for an anonymous client. */
  public Role role() {
    return own == null ? null : own.role();
  }

  /** Presents this identity's certificate with the CA's after it; null for an anonymous client. */
  public KeyManager keyManager() {
    if (own == null) {
      return null;
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] none = new char[0];
      store.setKeyEntry(
          "own", own.key(), none, new java.security.cert.Certificate[] {own.certificate(), ca});
      KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      f.init(store, none);
      return f.getKeyManagers()[0];
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot hold the TLS key in memory: " + e.getMessage(), e);
    }
  }

  /** Trusts peers of the given roles under the CA and the CRL; refusals are logged as port's. */
  public ConsortiumTrustManager trustManager(String port, Set<Role> accepted) {
    return trustManager(port, accepted, true);
  }

  /**
   * As {@link #trustManager(String, Set)}; logClientRefusals false leaves the log line for a
   * refused client certificate to the server, which adds where the connection came from.
   */
  public ConsortiumTrustManager trustManager(
      String port, Set<Role> accepted, boolean logClientRefusals) {
    try {
      return new ConsortiumTrustManager(port, ca, crlFile, accepted, clock, logClientRefusals);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read the revocation list " + crlFile + ": " + e.getMessage(), e);
    }
  }

  /** An SSLContext presenting this identity and trusting peers of the given roles. */
  public SSLContext sslContext(String port, Set<Role> accepted) {
    try {
      SSLContext c = SSLContext.getInstance(PROTOCOL);
      KeyManager km = keyManager();
      c.init(
          km == null ? null : new KeyManager[] {km},
          new TrustManager[] {trustManager(port, accepted)},
          null);
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no " + PROTOCOL + ": " + e.getMessage(), e);
    }
  }

  private static boolean keyMatches(X509Certificate cert, java.security.PrivateKey key) {
    try {
      byte[] probe = "fedledger key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      s.initVerify(cert.getPublicKey());
      s.update(probe);
      return s.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
