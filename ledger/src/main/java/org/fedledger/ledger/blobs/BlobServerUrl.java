package org.fedledger.ledger.blobs;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The form of an announced blob server's URL, checked the same way on every node (java.net.URI's
 * parser is pure Java): {@code http://host[:port]} or {@code https://host[:port]}, lowercase, with
 * nothing after the authority. One canonical spelling per server keeps "is this location announced"
 * an exact comparison of strings, and leaves an announcer no path, query or credentials to point a
 * fetcher at.
 */
public final class BlobServerUrl {
  /** Longest URL accepted. */
  public static final int MAX_LENGTH = 200;

  private BlobServerUrl() {}

  /** Null if url is acceptable, else what is wrong with it. */
  public static String problem(String url) {
    if (url.isEmpty() || url.length() > MAX_LENGTH) {
      return "url must have 1 to " + MAX_LENGTH + " characters, got " + url.length();
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "url '" + url + "' is not a URL";
    }
    String scheme = uri.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      return "url '" + url + "' must start with http:// or https://";
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null) {
      return "url '" + url + "' must name a host, and no user";
    }
    if (uri.getPort() == 0 || uri.getPort() > 65_535) {
      return "url '" + url + "' has no valid port (1 to 65535)";
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return "url '" + url + "' must have no query or fragment";
    }
    if (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
      return "url '" + url + "' must have no path: the blob API's paths are fixed";
    }
    String canonical =
        scheme + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    if (!canonical.equals(url) || !url.equals(url.toLowerCase(Locale.ROOT))) {
      return "url '" + url + "' must be written as " + canonical.toLowerCase(Locale.ROOT);
    }
    return null;
  }
}
