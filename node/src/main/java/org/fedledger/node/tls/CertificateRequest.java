package org.fedledger.node.tls;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.fedledger.core.address.Address;

/**
 * What a certificate will say: whose it is (a node or member name, the subject's CN), its role, the
 * Ed25519 account it speaks for (a SAN URI {@code fedledger:account:<hex>}), the host names or IP
 * addresses a server is reached at (SAN DNS/IP; validators only), and its validity.
 */
public final class CertificateRequest {
  /** How long a certificate lasts unless the request says otherwise. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final String name;
  private final Role role;
  private final Address account;
  private final List<String> hosts;
  private final Instant notBefore;
  private final Duration validity;

  private CertificateRequest(Builder b) {
    this.name = b.name;
    this.role = b.role;
    this.account = b.account;
    this.hosts = List.copyOf(b.hosts);
    this.notBefore = b.notBefore;
    this.validity = b.validity;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String name() {
    return name;
  }

  public Role role() {
    return role;
  }

  /** The account address, or null when the certificate speaks for no account. */
  public Address account() {
    return account;
  }

  public List<String> hosts() {
    return hosts;
  }

  public Instant notBefore() {
    return notBefore;
  }

  public Instant notAfter() {
    return notBefore.plus(validity);
  }

  /** Builds a request: {@code set*} are required, {@code opt*} optional. */
  public static final class Builder {
    private String name;
    private Role role;
    private Address account;
    private final List<String> hosts = new ArrayList<>();
    private Instant notBefore;
    private Duration validity = DEFAULT_VALIDITY;

    private Builder() {}

    /** The node's or member's name: letters, digits, '.', '_' and '-', at most 64. */
    public Builder setName(String name) {
      this.name = name;
      return this;
    }

    public Builder setRole(Role role) {
      this.role = role;
      return this;
    }

    /** When the certificate starts to be valid (usually now). */
    public Builder setNotBefore(Instant notBefore) {
      this.notBefore = notBefore;
      return this;
    }

    public Builder optAccount(Address account) {
      this.account = account;
      return this;
    }

    /** A host name or IP address the holder serves at; validators need the ones peers dial. */
    public Builder optHost(String host) {
      this.hosts.add(host);
      return this;
    }

    public Builder optValidity(Duration validity) {
      this.validity = validity;
      return this;
    }

    public CertificateRequest build() {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "a certificate's name must be 1 to 64 letters, digits, '.', '_' or '-', starting with"
                + " a letter or digit; got \""
                + name
                + "\"");
      }
      if (role == null) {
        throw new IllegalArgumentException(
            "a certificate needs a role: validator, member or admin");
      }
      if (notBefore == null) {
        throw new IllegalArgumentException("a certificate needs its start time (setNotBefore)");
      }
      if (validity == null || validity.isNegative() || validity.isZero()) {
        throw new IllegalArgumentException("a certificate's validity must be positive");
      }
      if (role != Role.VALIDATOR && !hosts.isEmpty()) {
        throw new IllegalArgumentException(
            "only a validator's certificate names hosts: a " + role.label() + " serves nothing");
      }
      for (String h : hosts) {
        if (h == null || h.isBlank() || h.contains("*")) {
          throw new IllegalArgumentException(
              "a host must be a name or an IP address, without wildcards; got \"" + h + "\"");
        }
      }
      return new CertificateRequest(this);
    }
  }
}
