package org.fedledger.node.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Encodes and decodes certificates, CRLs and private keys (PKCS#8, unencrypted: the file's mode
 * protects it) as PEM, the form openssl, curl and browsers read.
 */
public final class Pem {
  static final String CERTIFICATE = "CERTIFICATE";
  static final String CRL = "X509 CRL";
  static final String PRIVATE_KEY = "PRIVATE KEY";

  private Pem() {}

  public static String encode(X509Certificate cert) {
    try {
      return encode(CERTIFICATE, cert.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encode a certificate", e);
    }
  }

  public static String encode(X509CRL crl) {
    try {
      return encode(CRL, crl.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encode a CRL", e);
    }
  }

  public static String encode(PrivateKey key) {
    return encode(PRIVATE_KEY, key.getEncoded());
  }

  private static String encode(String type, byte[] der) {
    StringWriter out = new StringWriter();
    try (PemWriter w = new PemWriter(out)) {
      w.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write PEM to memory", e);
    }
    return out.toString();
  }

  public static X509Certificate readCertificate(Path file) throws IOException {
    byte[] der = read(file, CERTIFICATE, "a certificate");
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IOException(file + " does not hold a readable certificate: " + e.getMessage(), e);
    }
  }

  public static X509CRL readCrl(Path file) throws IOException {
    byte[] der = read(file, CRL, "a revocation list");
    try {
      return (X509CRL)
          CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IOException(file + " does not hold a readable CRL: " + e.getMessage(), e);
    }
  }

  /** Reads an EC private key; the caller checks the file's mode first. */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    byte[] der = read(file, PRIVATE_KEY, "a private key");
    try {
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IOException(
          file + " does not hold an EC private key (PKCS#8): " + e.getMessage(), e);
    }
  }

  private static byte[] read(Path file, String type, String what) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(
          file.toString(), null, what + " was expected here; `fedledger init` writes it");
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    try (PemReader r = new PemReader(new StringReader(text))) {
      PemObject o = r.readPemObject();
      if (o == null || !o.getType().equals(type)) {
        throw new IOException(
            file
                + " is not "
                + what
                + " in PEM (-----BEGIN "
                + type
                + "-----)"
                + (o == null ? "" : "; it holds a " + o.getType()));
      }
      return o.getContent();
    }
  }
}
