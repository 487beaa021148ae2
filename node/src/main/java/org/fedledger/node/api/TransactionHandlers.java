package org.fedledger.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedInputStream;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.core.tx.TxRejection;
import org.fedledger.node.api.budget.ClientKey;
import org.fedledger.node.api.budget.RefusalBudget;
import org.fedledger.node.metrics.NodeMetrics;

/**
 * {@code POST /v1/transactions} and {@code POST /v1/transactions/batch}. Bodies are either raw
 * protobuf ({@code application/octet-stream}: one SignedTransaction, or for a batch a sequence of
 * varint-length-delimited ones) or JSON ({@code {"tx": base64}}, {@code {"txs": [base64, ...]}}).
 *
 * <p>Each client's avoidable refusals are charged to its {@link RefusalBudget}; a client whose
 * budget is spent is held back and then refused with 429 before its body is read (the rule: {@link
 * org.fedledger.node.api.budget}).
 */
final class TransactionHandlers {
  static final int MAX_BATCH = 10_000;

  /** Longest a request of a client that must wait is held before its answer. */
  static final Duration MAX_HOLD = Duration.ofSeconds(2);

  private final ChainBackend backend;
  private final NodeMetrics metrics;
  private final ObjectMapper json;
  private final RefusalBudget budget;

  TransactionHandlers(
      ChainBackend backend, NodeMetrics metrics, ObjectMapper json, RefusalBudget budget) {
    this.backend = backend;
    this.metrics = metrics;
    this.json = json;
    this.budget = budget;
  }

  void submitOne(Context ctx) {
    String client = admitClient(ctx);
    byte[] tx =
        charging(
            client, () -> isJson(ctx) ? base64(jsonBody(ctx).path("tx"), "tx") : ctx.bodyAsBytes());
    ChainBackend.Submission result = record(client, backend.submit(List.of(tx))).get(0);
    if (!result.accepted()) {
      throw new ApiException(
          RejectionStatus.of(result.rejection()), result.rejection().name(), result.message());
    }
    ctx.status(202).json(Map.of("hash", result.hash().toHex()));
  }

  void submitBatch(Context ctx) {
    String client = admitClient(ctx);
    List<byte[]> txs =
        charging(client, () -> isJson(ctx) ? jsonBatch(ctx) : delimitedBatch(ctx.bodyAsBytes()));
    if (txs.isEmpty()) {
      throw ApiException.badRequest("the batch is empty");
    }
    List<ChainBackend.Submission> results = record(client, backend.submit(txs));
    List<Map<String, Object>> out = new ArrayList<>(results.size());
    int accepted = 0;
    for (ChainBackend.Submission r : results) {
      Map<String, Object> entry = new LinkedHashMap<>();
      if (r.hash() != null) {
        entry.put("hash", r.hash().toHex());
      }
      entry.put("accepted", r.accepted());
      if (r.accepted()) {
        accepted++;
      } else {
        entry.put("error", Map.of("code", r.rejection().name(), "message", r.message()));
      }
      out.add(entry);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("accepted", accepted);
    body.put("rejected", results.size() - accepted);
    body.put("results", out);
    // 200 rather than 202: the reply mixes accepted and rejected transactions.
    ctx.status(200).json(body);
  }

  /**
   * The key of ctx's client if its refusal budget lets it submit, at once or after a hold of at
   * most {@link #MAX_HOLD}; otherwise a 429 with Retry-After, the body unread.
   */
  private String admitClient(Context ctx) {
    String client = ClientKey.of(ctx.req());
    Optional<Duration> wait = budget.waitFor(client);
    if (wait.isPresent() && budget.hold(client)) {
      // Held, not refused at once: a flooder that waits for its answers then mostly waits.
      try {
        Thread.sleep(wait.get().compareTo(MAX_HOLD) < 0 ? wait.get() : MAX_HOLD);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        budget.release(client);
      }
      wait = budget.waitFor(client);
    }
    if (wait.isEmpty()) {
      return client;
    }
    metrics.throttled();
    discardBody(ctx);
    long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
    ctx.header("Retry-After", Long.toString(seconds));
    throw new ApiException(
        429,
        "TOO_MANY_REFUSALS",
        "too many of this client's recent transactions were refused (bad signatures, malformed"
            + " bytes, another chain, invalid messages or unfunded senders); it may submit again"
            + " in "
            + seconds
            + " s. Check how it builds and signs its transactions");
  }

  /**
   * Reads and drops the body, unparsed, so that the client reads its 429 on a connection in order
   * rather than a reset one mid-upload; a copy costs the node far less than checking the body.
   */
  private static void discardBody(Context ctx) {
    byte[] buffer = new byte[64 * 1024];
    long left = ApiServer.MAX_REQUEST_BYTES;
    try {
      InputStream in = ctx.req().getInputStream();
      for (int n = 0; n >= 0 && left > 0; n = in.read(buffer)) {
        left -= n;
      }
    } catch (IOException e) {
      // The client went away: nothing to answer.
    }
  }

  /** Runs parse, charging the client one refusal if the body is refused before any check. */
  private <T> T charging(String client, java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (ApiException e) {
      budget.charge(client, 1);
      throw e;
    }
  }

  private List<ChainBackend.Submission> record(
      String client, List<ChainBackend.Submission> results) {
    int charged = 0;
    for (ChainBackend.Submission r : results) {
      if (r.accepted()) {
        metrics.accepted();
      } else {
        metrics.rejected(r.rejection());
        if (RefusalBudget.counts(r.rejection())) {
          charged++;
        }
      }
    }
    budget.charge(client, charged);
    return results;
  }

  private static boolean isJson(Context ctx) {
    String type = ctx.contentType();
    return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json");
  }

  private JsonNode jsonBody(Context ctx) {
    try {
      return json.readTree(ctx.bodyAsBytes());
    } catch (IOException e) {
      throw new ApiException(400, TxRejection.MALFORMED.name(), "the body is not JSON");
    }
  }

  private List<byte[]> jsonBatch(Context ctx) {
    JsonNode txs = jsonBody(ctx).path("txs");
    if (!txs.isArray()) {
      throw new ApiException(
          400, TxRejection.MALFORMED.name(), "expected {\"txs\": [base64, ...]}");
    }
    checkBatchSize(txs.size());
    List<byte[]> out = new ArrayList<>(txs.size());
    for (JsonNode tx : txs) {
      out.add(base64(tx, "txs[]"));
    }
    return out;
  }

  private static List<byte[]> delimitedBatch(byte[] body) {
    List<byte[]> out = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(body);
    try {
      while (!in.isAtEnd()) {
        int length = in.readRawVarint32();
        if (length < 0 || length > TransactionCodec.MAX_TX_BYTES * 2) {
          throw new ApiException(
              400, TxRejection.MALFORMED.name(), "batch entry has an impossible length " + length);
        }
        out.add(in.readRawBytes(length));
        checkBatchSize(out.size());
      }
    } catch (IOException e) {
      throw new ApiException(
          400,
          TxRejection.MALFORMED.name(),
          "the body is not a sequence of length-delimited SignedTransactions: " + e.getMessage());
    }
    return out;
  }

  private static void checkBatchSize(int size) {
    if (size > MAX_BATCH) {
      throw new ApiException(
          413, "BATCH_TOO_LARGE", "a batch holds at most " + MAX_BATCH + " transactions");
    }
  }

  private static byte[] base64(JsonNode node, String field) {
    if (!node.isTextual()) {
      throw new ApiException(
          400, TxRejection.MALFORMED.name(), "\"" + field + "\" must be a base64 string");
    }
    try {
      return Base64.getDecoder().decode(node.asText());
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          400, TxRejection.MALFORMED.name(), "\"" + field + "\" is not valid base64");
    }
  }
}
