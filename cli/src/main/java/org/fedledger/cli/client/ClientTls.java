package org.fedledger.cli.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;
import org.fedledger.node.tls.CaDirectory;
import org.fedledger.node.tls.NodeTls;
import org.fedledger.node.tls.TlsIdentity;

/**
 * The command line's TLS identity ({@code --cert}, default {@code $FEDLEDGER_CERT}): a member's or
 * the admin's certificate, its key beside it as {@code NAME-key.pem}, and the consortium's {@code
 * ca.pem} (and {@code crl.pem}, if present) in the same directory, as {@code fedledger init} and
 * {@code fedledger cert issue} write them. It becomes the process's default {@link SSLContext}, so
 * every HTTPS client of the command (API calls, blob uploads and fetches) shows the certificate and
 * trusts only the consortium's validators.
 */
public final class ClientTls {
  private static final SSLContext JDK_DEFAULT = jdkDefault();
  private static volatile TlsIdentity current;

  private ClientTls() {}

  /** Uses the certificate in certFile from now on; null or blank: none (the JDK's default). */
  public static void install(String certFile) throws IOException {
    if (certFile == null || certFile.isBlank()) {
      current = null;
      SSLContext.setDefault(JDK_DEFAULT);
      return;
    }
    Path cert = Path.of(certFile).toAbsolutePath();
    TlsIdentity id = load(cert);
    SSLContext.setDefault(id.sslContext("client", NodeTls.SERVERS));
    current = id;
  }

  /** The identity in use, or null. */
  public static TlsIdentity current() {
    return current;
  }

  /** Loads cert with its key NAME-key.pem, and the ca.pem and crl.pem beside it. */
  public static TlsIdentity load(Path cert) throws IOException {
    String name = cert.getFileName().toString();
    if (!name.endsWith(".pem")) {
      throw new IOException(
          "--cert " + cert + ": expected a NAME.pem certificate with NAME-key.pem beside it");
    }
    Path dir = cert.getParent();
    Path key = dir.resolve(name.substring(0, name.length() - 4) + "-key.pem");
    Path crl = dir.resolve(CaDirectory.CRL);
    return TlsIdentity.load(cert, key, dir.resolve(CaDirectory.CA), Files.exists(crl) ? crl : null);
  }

  private static SSLContext jdkDefault() {
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no default TLS context", e);
    }
  }
}
