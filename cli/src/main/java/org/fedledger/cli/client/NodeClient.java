package org.fedledger.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.fedledger.cli.CommandFailedException;

/** Calls one node's REST API and returns parsed JSON. */
public final class NodeClient {
  public static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final URI base;
  private final HttpClient http;

  public NodeClient(String baseUrl) {
    String url = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      url = "http://" + url;
    }
    try {
      this.base = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--node must be a URL like http://127.0.0.1:7700", e);
    }
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** GET path; a 404 is an empty result, any other non-2xx a failure. */
  public Optional<JsonNode> get(String path) {
    HttpResponse<String> response =
        send(HttpRequest.newBuilder(base.resolve(path)).GET().timeout(Duration.ofSeconds(30)));
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(parse(response));
  }

  /** GET path that must exist; what names it in the error. */
  public JsonNode require(String path, String what) {
    return get(path).orElseThrow(() -> new CommandFailedException(what + " not found"));
  }

  /** POSTs bytes as application/octet-stream. */
  public JsonNode postBytes(String path, byte[] body) {
    return parse(
        send(
            HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/octet-stream")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))));
  }

  /** An answer whose status the caller reads: the HTTP status and the JSON body. */
  public record Answer(int status, JsonNode body) {}

  /**
   * POSTs a JSON body with extra headers and returns the answer whatever its status (a refusal's
   * body carries its reason); only an unreachable node or a body that is not JSON fails.
   */
  public Answer postJson(String path, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    HttpResponse<String> response = send(request);
    try {
      return new Answer(response.statusCode(), JSON.readTree(response.body()));
    } catch (IOException e) {
      throw new CommandFailedException(
          "the node answered HTTP " + response.statusCode() + " with a body that is not JSON");
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new CommandFailedException(
          "cannot reach the node at " + base + "; is it running, and is --node right?");
    } catch (HttpTimeoutException e) {
      throw new CommandFailedException("the node at " + base + " did not answer in time");
    } catch (javax.net.ssl.SSLException e) {
      throw new CommandFailedException(
          "the TLS handshake with "
              + base
              + " failed ("
              + e.getMessage()
              + "); give a certificate of the network's CA with --cert (e.g. DIR/tls/admin.pem)"
              + (ClientTls.current() == null ? "" : ", one not revoked or expired"));
    } catch (IOException e) {
      throw new CommandFailedException("talking to " + base + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailedException("interrupted");
    }
  }

  private JsonNode parse(HttpResponse<String> response) {
    JsonNode json;
    try {
      json = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new CommandFailedException(
          "the node answered HTTP " + response.statusCode() + " with a body that is not JSON");
    }
    if (response.statusCode() / 100 != 2) {
      JsonNode error = json.path("error");
      throw new CommandFailedException(
          "the node refused the request (HTTP "
              + response.statusCode()
              + ", "
              + error.path("code").asText("?")
              + "): "
              + error.path("message").asText(response.body()));
    }
    return json;
  }

  public static String pretty(JsonNode json) {
    try {
      return JSON.writeValueAsString(json);
    } catch (IOException e) {
      throw new IllegalStateException("a parsed JSON tree always serializes", e);
    }
  }
}
