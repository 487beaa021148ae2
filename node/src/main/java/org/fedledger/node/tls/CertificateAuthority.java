package org.fedledger.node.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CRLHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The consortium's certificate authority: a self-signed ECDSA P-256 root that issues every node's
 * and member's certificate and signs the revocation list. Whoever holds its key admits members, so
 * {@code fedledger init} writes it owner-only and only the admin keeps it.
 */
public final class CertificateAuthority {
  /** How long the CA's own certificate lasts. */
  public static final Duration CA_VALIDITY = Duration.ofDays(3650);

  /**
   * How long a CRL counts as current. The JDK's PKIX check ignores a CRL past its next-update date
   * and then refuses every certificate for want of revocation status; nodes never fetch a newer
   * list (the admin replaces the file), so the list stays current as long as the CA itself.
   */
  static final Duration CRL_NEXT_UPDATE = CA_VALIDITY;

  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey key;

  public CertificateAuthority(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  /** A new CA named name (e.g. the chain id), valid from now for {@link #CA_VALIDITY}. */
  public static CertificateAuthority create(String name, Instant now) {
    KeyPair pair = newKeyPair();
    X500Name subject = subject(name + " consortium CA", null);
    try {
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              subject,
              serial(),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(CA_VALIDITY)),
              subject,
              pair.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate cert =
          new JcaX509CertificateConverter().getCertificate(b.build(signer(pair.getPrivate())));
      return new CertificateAuthority(cert, pair.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create the consortium CA: " + e.getMessage(), e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public PrivateKey key() {
    return key;
  }

  /** Issues a certificate with a fresh ECDSA P-256 key, as the request says. */
  public IssuedCertificate issue(CertificateRequest request) {
    KeyPair pair = newKeyPair();
    try {
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              certificate,
              serial(),
              Date.from(request.notBefore()),
              Date.from(request.notAfter()),
              subject(request.name(), request.role()),
              pair.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      b.addExtension(Extension.extendedKeyUsage, false, extendedKeyUsage(request.role()));
      b.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      GeneralNames names = subjectAltNames(request);
      if (names != null) {
        b.addExtension(Extension.subjectAlternativeName, false, names);
      }
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer(key)));
      return new IssuedCertificate(cert, pair.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException(
          "cannot issue a certificate for " + request.name() + ": " + e.getMessage(), e);
    }
  }

  /** An empty revocation list: nodes need one to check revocation at all. */
  public X509CRL emptyCrl(Instant now) {
    return revoke(null, List.of(), now);
  }

  /**
   * The revocation list previous (null: none yet) plus the given certificates, signed now. Entries
   * already on previous stay; a serial listed twice is listed once.
   */
  public X509CRL revoke(X509CRL previous, List<X509Certificate> revoked, Instant now) {
    X509v2CRLBuilder b =
        new X509v2CRLBuilder(
            X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
            Date.from(now));
    b.setNextUpdate(Date.from(now.plus(CRL_NEXT_UPDATE)));
    List<BigInteger> listed = new ArrayList<>();
    try {
      if (previous != null) {
        b.addCRL(new JcaX509CRLHolder(previous));
        if (previous.getRevokedCertificates() != null) {
          previous.getRevokedCertificates().forEach(e -> listed.add(e.getSerialNumber()));
        }
      }
      for (X509Certificate c : revoked) {
        if (!listed.contains(c.getSerialNumber())) {
          b.addCRLEntry(c.getSerialNumber(), Date.from(now), CRLReason.cessationOfOperation);
          listed.add(c.getSerialNumber());
        }
      }
      X509CRLHolder holder = b.build(signer(key));
      return new JcaX509CRLConverter().getCRL(holder);
    } catch (CRLException e) {
      throw new IllegalStateException("cannot sign the revocation list: " + e.getMessage(), e);
    }
  }

  private static X500Name subject(String name, Role role) {
    X500NameBuilder n = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name);
    if (role != null) {
      n.addRDN(BCStyle.OU, role.label());
    }
    return n.addRDN(BCStyle.O, "fedledger").build();
  }

  private static ExtendedKeyUsage extendedKeyUsage(Role role) {
    // A validator serves (API, blobs, Raft) and dials its peers; the others only dial.
    KeyPurposeId[] purposes =
        role == Role.VALIDATOR
            ? new KeyPurposeId[] {
              KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth, role.purpose()
            }
            : new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, role.purpose()};
    return new ExtendedKeyUsage(purposes);
  }

  private static GeneralNames subjectAltNames(CertificateRequest request) {
    List<GeneralName> names = new ArrayList<>();
    if (request.account() != null) {
      names.add(
          new GeneralName(
              GeneralName.uniformResourceIdentifier,
              CertificateInfo.ACCOUNT_URI_PREFIX + request.account().toHex()));
    }
    for (String host : request.hosts()) {
      names.add(
          new GeneralName(isIpAddress(host) ? GeneralName.iPAddress : GeneralName.dNSName, host));
    }
    return names.isEmpty() ? null : new GeneralNames(names.toArray(new GeneralName[0]));
  }

  static boolean isIpAddress(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot make ECDSA P-256 keys", e);
    }
  }

  private static ContentSigner signer(PrivateKey key) {
    try {
      return new JcaContentSignerBuilder(SIGNATURE).build(key);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("this JDK cannot sign with " + SIGNATURE, e);
    }
  }

  /** A random positive 127-bit serial: unique without a counter to keep. */
  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).setBit(126);
  }

  /** Checks the certificate is this CA's own (same key and name), for loading files. */
  static void requireIssuedBy(X509Certificate cert, X509Certificate ca)
      throws CertificateException {
    try {
      cert.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new CertificateException(
          cert.getSubjectX500Principal() + " was not issued by " + ca.getSubjectX500Principal(), e);
    }
  }
}
