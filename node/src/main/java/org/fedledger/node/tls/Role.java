package org.fedledger.node.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * What a certificate's holder may do, carried as an extended key usage of its own: a validator
 * serves Raft, the API and blobs and is a client of its peers; a member or the admin is a client of
 * the API and the blob servers. A port accepts only the roles it names, so a validator's
 * certificate presented as an API client is refused at the handshake.
 */
public enum Role {
  VALIDATOR(1),
  MEMBER(2),
  ADMIN(3);

  private final String oid;

  Role(int arc) {
    this.oid = Arc.FEDLEDGER + "." + arc;
  }

  /** fedledger's private OID arc, UUID-derived (ITU-T X.667), so it needs no registration. */
  private static final class Arc {
    static final String FEDLEDGER = "2.25.203536615156499703239152224732824157014";
  }

  KeyPurposeId purpose() {
    return KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid));
  }

  /** The lowercase name used in files and on the command line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code validator}, {@code member} or {@code admin}. */
  public static Role parse(String text) {
    for (Role r : values()) {
      if (r.label().equals(text)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "unknown role \"" + text + "\"; use validator, member or admin");
  }

  /** The role a certificate carries, or null if it carries none (not one of ours). */
  public static Role of(X509Certificate certificate) {
    List<String> usages;
    try {
      usages = certificate.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      return null;
    }
    if (usages == null) {
      return null;
    }
    for (Role r : values()) {
      if (usages.contains(r.oid)) {
        return r;
      }
    }
    return null;
  }
}
