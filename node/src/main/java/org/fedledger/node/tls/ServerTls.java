package org.fedledger.node.tls;

import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one HTTP server of a node (the API or the blob server) speaks TLS: its context and whether a
 * client certificate is required. Makes the Jetty connector, the only one the server gets, so the
 * port speaks nothing but TLS: a plaintext request fails the handshake and is logged.
 *
 * @param port the server's name in log lines ("API", "blob server")
 * @param requireClientCertificate false only for a public API, where a certificate is optional
 */
public record ServerTls(String port, SSLContext context, boolean requireClientCertificate) {
  private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

  /** The servlet request attribute holding the client's verified certificate chain. */
  public static final String CLIENT_CERTIFICATES = "jakarta.servlet.request.X509Certificate";

  /** A TLS-only connector on host:port (port 0: any free port). */
  public ServerConnector connector(Server server, HttpConfiguration http, String host, int port) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setSslContext(context);
    if (requireClientCertificate) {
      ssl.setNeedClientAuth(true);
    } else {
      ssl.setWantClientAuth(true);
    }
    HttpConfiguration secure = new HttpConfiguration(http);
    SecureRequestCustomizer customizer = new SecureRequestCustomizer();
    // Nodes are reached by IP address; the certificate's SAN is checked by the client instead.
    customizer.setSniHostCheck(false);
    secure.addCustomizer(customizer);
    SslConnectionFactory tls = new SslConnectionFactory(ssl, "http/1.1");
    tls.addBean(new RefusalLog(this.port));
    ServerConnector c = new ServerConnector(server, tls, new HttpConnectionFactory(secure));
    c.setHost(host);
    c.setPort(port);
    return c;
  }

  /** The client's certificate on a request, or null if it showed none. */
  public static X509Certificate clientCertificate(jakarta.servlet.http.HttpServletRequest request) {
    Object chain = request.getAttribute(CLIENT_CERTIFICATES);
    if (chain instanceof X509Certificate[] certs && certs.length > 0) {
      return certs[0];
    }
    return null;
  }

  /**
   * Logs handshakes this server refused: the trust manager logs a bad certificate with its reason;
   * this line also covers a client that showed none and one that spoke plaintext.
   */
  private record RefusalLog(String port) implements SslHandshakeListener {
    @Override
    public void handshakeFailed(Event event, Throwable failure) {
      String remote =
          String.valueOf(event.getSSLEngine().getPeerHost())
              + ":"
              + event.getSSLEngine().getPeerPort();
      log.warn("TLS: {} refused a connection from {}: {}", port, remote, failure.getMessage());
    }
  }
}
