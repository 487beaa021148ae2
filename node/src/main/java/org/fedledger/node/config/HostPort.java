package org.fedledger.node.config;

/** A "host:port" address as written in configuration files. */
public record HostPort(String host, int port) {
  public HostPort {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
  }

  /** Parses "host:port"; "[::1]:80" style IPv6 literals are accepted. */
  public static HostPort parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("expected host:port, got nothing");
    }
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("expected host:port, got '" + text + "'");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new HostPort(host, Integer.parseInt(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port is not a number in '" + text + "'", e);
    }
  }

  /** True for 0.0.0.0 and ::, which a server can listen on but no client can connect to. */
  public boolean isWildcard() {
    boolean literal = host.contains(":") || host.matches("[0-9.]+");
    if (!literal) {
      return false; // a name: resolving it here would put a DNS lookup into config checks
    }
    try {
      return java.net.InetAddress.getByName(host).isAnyLocalAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
