package org.fedledger.cli.nemesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * One node's REST API as the nemesis uses it: short timeouts, because a paused or partitioned node
 * must not hold the workload up, and no exception for an unreachable node (an empty answer), since
 * under a nemesis that is the normal case.
 */
final class NodeEndpoint {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final String id;
  private final URI base;
  private final HttpClient http;

  NodeEndpoint(String id, String apiAddress) {
    this.id = id;
    this.base = URI.create("http://" + apiAddress);
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  /** An answer: the HTTP status and the JSON body. */
  record Reply(int status, JsonNode json) {
    /** The error code of a refusal ("DUPLICATE", "BAD_NONCE", ...), empty for none. */
    String errorCode() {
      return json.path("error").path("code").asText("");
    }
  }

  String id() {
    return id;
  }

  /** The API's base URL, http://host:port. */
  String url() {
    return base.toString();
  }

  /** GET path; empty when the node cannot be reached or does not answer in time. */
  Optional<Reply> get(String path) throws InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET().build());
  }

  /** Submits an encoded SignedTransaction; empty when the node cannot be reached in time. */
  Optional<Reply> submit(byte[] signedTransaction) throws InterruptedException {
    return send(
        HttpRequest.newBuilder(base.resolve("/v1/transactions"))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(signedTransaction))
            .build());
  }

  /** The node's /v1/status, if it answers. */
  Optional<JsonNode> status() throws InterruptedException {
    return get("/v1/status").filter(r -> r.status() == 200).map(Reply::json);
  }

  private Optional<Reply> send(HttpRequest request) throws InterruptedException {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
      return Optional.of(new Reply(r.statusCode(), body));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return id + " (" + base + ")";
  }
}
