package org.fedledger.ledger.validators;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a validator's Raft server listens, as the chain records it ({@code raft_address}). The one
 * parser for that field: the chain refuses a record whose address it cannot parse, consensus turns
 * it into a Raft peer, the CLI checks an operator's input with it.
 *
 * @param host a host name or IP literal, without brackets; compared case-insensitively
 * @param port 1..65535
 */
public record RaftAddress(String host, int port) {
  public RaftAddress {
    Objects.requireNonNull(host, "host");
    host = host.toLowerCase(Locale.ROOT);
    if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("host must be non-empty and without spaces");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, got " + port);
    }
  }

  /**
   * Parses "host:port"; an IPv6 literal is written in brackets, "[::1]:7801".
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static RaftAddress parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a Raft address is host:port, got nothing");
    }
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("a Raft address is host:port, got \"" + text + "\"");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the port of \"" + text + "\" is not a number", e);
    }
    try {
      return new RaftAddress(host, port);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("\"" + text + "\": " + e.getMessage(), e);
    }
  }

  /** host:port, with brackets around an IPv6 literal. */
  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
