package org.fedledger.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedInputStream;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.core.tx.TxRejection;
import org.fedledger.node.metrics.NodeMetrics;

/**
 * {@code POST /v1/transactions} and {@code POST /v1/transactions/batch}. Bodies are either raw
 * protobuf ({@code application/octet-stream}: one SignedTransaction, or for a batch a sequence of
 * varint-length-delimited ones) or JSON ({@code {"tx": base64}}, {@code {"txs": [base64, ...]}}).
 */
final class TransactionHandlers {
  static final int MAX_BATCH = 10_000;

  private final ChainBackend backend;
  private final NodeMetrics metrics;
  private final ObjectMapper json;

  TransactionHandlers(ChainBackend backend, NodeMetrics metrics, ObjectMapper json) {
    this.backend = backend;
    this.metrics = metrics;
    this.json = json;
  }

  void submitOne(Context ctx) {
    byte[] tx = isJson(ctx) ? base64(jsonBody(ctx).path("tx"), "tx") : ctx.bodyAsBytes();
    ChainBackend.Submission result = record(backend.submit(List.of(tx))).get(0);
    if (!result.accepted()) {
      throw new ApiException(
          RejectionStatus.of(result.rejection()), result.rejection().name(), result.message());
    }
    ctx.status(202).json(Map.of("hash", result.hash().toHex()));
  }

  void submitBatch(Context ctx) {
    List<byte[]> txs = isJson(ctx) ? jsonBatch(ctx) : delimitedBatch(ctx.bodyAsBytes());
    if (txs.isEmpty()) {
      throw ApiException.badRequest("the batch is empty");
    }
    List<ChainBackend.Submission> results = record(backend.submit(txs));
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

  private List<ChainBackend.Submission> record(List<ChainBackend.Submission> results) {
    for (ChainBackend.Submission r : results) {
      if (r.accepted()) {
        metrics.accepted();
      } else {
        metrics.rejected(r.rejection());
      }
    }
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
