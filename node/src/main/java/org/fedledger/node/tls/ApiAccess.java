package org.fedledger.node.tls;

import java.util.Locale;

/** Who may use a node's REST API over TLS. */
public enum ApiAccess {
  /** Only holders of a member's or the admin's certificate of the consortium's CA. */
  MEMBERS,
  /**
   * A read-only explorer: anyone may read (GET) without a certificate; writing still needs a
   * member's or the admin's certificate.
   */
  PUBLIC;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code members} or {@code public}; null is the default, members. */
  public static ApiAccess parse(String text) {
    if (text == null) {
      return MEMBERS;
    }
    for (ApiAccess a : values()) {
      if (a.label().equals(text)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "\"apiAccess\" must be members or public, got \"" + text + "\"");
  }
}
