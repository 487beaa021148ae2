package org.fedledger.node.dashboard;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.util.Map;

/**
 * Serves the dashboard's files from the classpath at {@code /}. The pages read only this node's API
 * (same origin), which the content security policy enforces: no inline scripts, no other hosts.
 */
public final class Dashboard {
  /** Where the files live inside the jar. */
  public static final String RESOURCE_DIRECTORY = "/dashboard";

  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

  private Dashboard() {}

  /** Adds the dashboard's static files to a Javalin configuration. */
  public static void configure(JavalinConfig config) {
    if (Dashboard.class.getResource(RESOURCE_DIRECTORY + "/index.html") == null) {
      throw new IllegalStateException(
          RESOURCE_DIRECTORY + "/index.html is missing from the classpath; rebuild the node jar");
    }
    config.staticFiles.add(
        files -> {
          files.hostedPath = "/";
          files.directory = RESOURCE_DIRECTORY;
          files.location = Location.CLASSPATH;
          files.headers =
              Map.of(
                  "Cache-Control", "no-cache",
                  "Content-Security-Policy", CONTENT_SECURITY_POLICY,
                  "X-Content-Type-Options", "nosniff");
        });
  }
}
