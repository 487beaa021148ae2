package org.fedledger.node.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.fedledger.core.address.Address;

/** What a consortium certificate says about its holder, read back for logs and checks. */
public final class CertificateInfo {
  /** The SAN URI prefix that carries the holder's Ed25519 account address. */
  public static final String ACCOUNT_URI_PREFIX = "fedledger:account:";

  private static final int SAN_URI = 6;

  private CertificateInfo() {}

  /** The subject's common name: the node's or member's name. */
  public static String name(X509Certificate cert) {
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return rdn.getValue().toString();
        }
      }
    } catch (InvalidNameException e) {
      // fall through: described by the whole subject
    }
    return cert.getSubjectX500Principal().getName();
  }

  /** The account address in the certificate's SAN URI, or null if it names none. */
  public static Address account(X509Certificate cert) {
    Collection<List<?>> names;
    try {
      names = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return null;
    }
    if (names == null) {
      return null;
    }
    for (List<?> n : names) {
      if (((Integer) n.get(0)) == SAN_URI
          && n.get(1) instanceof String uri
          && uri.startsWith(ACCOUNT_URI_PREFIX)) {
        return Address.fromHex(uri.substring(ACCOUNT_URI_PREFIX.length()));
      }
    }
    return null;
  }

  /** For log lines: {@code alice (member, serial 5f…)}. */
  public static String describe(X509Certificate cert) {
    Role role = Role.of(cert);
    return name(cert)
        + " ("
        + (role == null ? "no fedledger role" : role.label())
        + ", serial "
        + cert.getSerialNumber().toString(16)
        + ")";
  }
}
