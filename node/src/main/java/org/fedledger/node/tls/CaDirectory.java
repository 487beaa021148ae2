package org.fedledger.node.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.fedledger.node.keys.SecureFiles;

/**
 * The admin's {@code DIR/tls} directory: the CA's certificate ({@code ca.pem}, handed to every node
 * and member), its key ({@code ca-key.pem}, 0600, never leaves the admin), and the revocation list
 * ({@code crl.pem}, handed to every node). Issued certificates are written as {@code NAME.pem} with
 * {@code NAME-key.pem} (0600) wherever the caller says.
 */
public final class CaDirectory {
  public static final String CA = "ca.pem";
  public static final String CA_KEY = "ca-key.pem";
  public static final String CRL = "crl.pem";

  private final Path dir;
  private final CertificateAuthority ca;

  private CaDirectory(Path dir, CertificateAuthority ca) {
    this.dir = dir;
    this.ca = ca;
  }

  /** Creates a new CA in dir (which must not hold one) with an empty revocation list. */
  public static CaDirectory create(Path dir, String name, Instant now) throws IOException {
    if (Files.exists(dir.resolve(CA)) || Files.exists(dir.resolve(CA_KEY))) {
      throw new FileAlreadyExistsException(
          dir.resolve(CA).toString(), null, "a CA exists here already; move it away first");
    }
    CertificateAuthority ca = CertificateAuthority.create(name, now);
    SecureFiles.writePrivateFile(dir.resolve(CA_KEY), ascii(Pem.encode(ca.key())));
    Files.writeString(dir.resolve(CA), Pem.encode(ca.certificate()), StandardCharsets.US_ASCII);
    writeAtomically(dir.resolve(CRL), Pem.encode(ca.emptyCrl(now)));
    return new CaDirectory(dir, ca);
  }

  /** Opens the CA in dir; its key file must be the owner's only. */
  public static CaDirectory open(Path dir) throws IOException {
    Path keyFile = dir.resolve(CA_KEY);
    if (!Files.exists(keyFile)) {
      throw new java.nio.file.NoSuchFileException(
          keyFile.toString(),
          null,
          "the CA's key is needed to issue or revoke; run this where `fedledger init` wrote"
              + " DIR/tls, as the admin");
    }
    SecureFiles.requireOwnerOnly(keyFile);
    X509Certificate cert = Pem.readCertificate(dir.resolve(CA));
    return new CaDirectory(dir, new CertificateAuthority(cert, Pem.readPrivateKey(keyFile)));
  }

  public Path dir() {
    return dir;
  }

  public Path caFile() {
    return dir.resolve(CA);
  }

  public Path crlFile() {
    return dir.resolve(CRL);
  }

  public CertificateAuthority authority() {
    return ca;
  }

  /**
   * Issues a certificate and writes it to certFile and its key to keyFile (0600); neither may
   * exist.
   */
  public IssuedCertificate issue(CertificateRequest request, Path certFile, Path keyFile)
      throws IOException {
    if (Files.exists(certFile)) {
      throw new FileAlreadyExistsException(
          certFile.toString(), null, "refusing to overwrite a certificate; move it away first");
    }
    IssuedCertificate issued = ca.issue(request);
    SecureFiles.writePrivateFile(keyFile, ascii(Pem.encode(issued.key())));
    Files.writeString(certFile, Pem.encode(issued.certificate()), StandardCharsets.US_ASCII);
    return issued;
  }

  /**
   * Adds cert to the revocation list. The new list replaces the old one in one atomic rename, so a
   * node reading it sees the old list or the new one, never half of one.
   */
  public X509CRL revoke(X509Certificate cert, Instant now) throws IOException {
    try {
      CertificateAuthority.requireIssuedBy(cert, ca.certificate());
    } catch (java.security.cert.CertificateException e) {
      throw new IOException(
          "not revoking " + CertificateInfo.describe(cert) + ": " + e.getMessage(), e);
    }
    X509CRL previous = Files.exists(crlFile()) ? Pem.readCrl(crlFile()) : null;
    X509CRL next = ca.revoke(previous, List.of(cert), now);
    writeAtomically(crlFile(), Pem.encode(next));
    return next;
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
