package org.fedledger.node.api.budget;

import jakarta.servlet.http.HttpServletRequest;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import org.fedledger.node.tls.ServerTls;

/**
 * Who an API request comes from, as far as a client cannot choose it: the subject of its TLS client
 * certificate when it showed one (a member of the consortium; its CA issued the name), else its
 * remote address. Never a transaction's sender key: that is the attacker's choice, so charging it
 * would let anyone exhaust a victim's budget.
 *
 * <p>An IPv6 client is keyed by its /64 network, since one host commonly holds a whole /64 and
 * could otherwise take a fresh address per request. Headers such as X-Forwarded-For are ignored
 * (anyone can write them): behind a proxy every client shares the proxy's address, and so its
 * budget.
 */
public final class ClientKey {
  private ClientKey() {}

  /** The key of request's client, e.g. "member CN=alice,O=acme" or "address 127.0.0.1". */
  public static String of(HttpServletRequest request) {
    X509Certificate certificate = ServerTls.clientCertificate(request);
    if (certificate != null) {
      return "member " + certificate.getSubjectX500Principal().getName();
    }
    return "address " + network(request.getRemoteAddr());
  }

  /** The address, or for IPv6 its /64 network; the text as given if it is no IP literal. */
  static String network(String remoteAddress) {
    String literal = remoteAddress;
    if (literal.startsWith("[") && literal.endsWith("]")) {
      literal = literal.substring(1, literal.length() - 1);
    }
    int scope = literal.indexOf('%');
    if (scope >= 0) {
      literal = literal.substring(0, scope);
    }
    if (!literal.contains(":")) {
      return literal;
    }
    try {
      // A literal with ':' is IPv6: parsed without a name lookup.
      InetAddress address = InetAddress.getByName(literal);
      if (!(address instanceof Inet6Address)) {
        return address.getHostAddress();
      }
      byte[] bytes = address.getAddress();
      Arrays.fill(bytes, 8, 16, (byte) 0);
      return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
    } catch (UnknownHostException e) {
      return literal;
    }
  }
}
