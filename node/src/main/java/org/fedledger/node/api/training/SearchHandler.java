package org.fedledger.node.api.training;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fedledger.core.hash.Hash;
import org.fedledger.ledger.Ledger;
import org.fedledger.node.api.ApiException;
import org.fedledger.node.api.ChainBackend;

/**
 * {@code GET /v1/search?q=}: what a height, hash, address or id names on this chain. Always 200
 * with every match (a 64-digit hex can be a transaction, a block, a job and a model at once), so a
 * client resolves a query without probing endpoints for 404s.
 */
final class SearchHandler {
  private final ChainBackend backend;

  SearchHandler(ChainBackend backend) {
    this.backend = backend;
  }

  void search(Context ctx) {
    String raw = ctx.queryParam("q");
    String q = raw == null ? "" : raw.trim();
    if (q.startsWith("0x") || q.startsWith("0X")) {
      q = q.substring(2);
    }
    if (q.isEmpty() || q.length() > 200) {
      throw ApiException.badRequest(
          "give ?q= a block height, a block or transaction hash, an address, or a job, model or"
              + " dataset id");
    }
    String query = q;
    Ledger ledger = backend.ledger();
    List<Map<String, Object>> matches = new ArrayList<>();
    if (query.matches("[0-9]{1,18}")) {
      long height = Long.parseLong(query);
      if (height <= ledger.height()) {
        matches.add(match("block", Long.toString(height)));
      }
    }
    if (query.matches("[0-9a-fA-F]{40}")) {
      matches.add(match("account", query.toLowerCase(Locale.ROOT)));
    }
    if (query.matches("[0-9a-fA-F]{64}")) {
      Hash hash = Hash.fromHex(query.toLowerCase(Locale.ROOT));
      if (ledger.transaction(hash).isPresent()) {
        matches.add(match("transaction", hash.toHex()));
      }
      ledger.blockByHash(hash).ifPresent(b -> matches.add(match("block", hash.toHex())));
      if (ledger.query(q2 -> ledger.contracts().training().job(q2, hash)).isPresent()) {
        matches.add(match("job", hash.toHex()));
      }
    }
    if (query.matches("[A-Za-z0-9._:-]{1,128}")) {
      if (ledger.query(q2 -> ledger.contracts().registry().model(q2, query)).isPresent()) {
        matches.add(match("model", query));
      }
      if (ledger.query(q2 -> ledger.contracts().registry().dataset(q2, query)).isPresent()) {
        matches.add(match("dataset", query));
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", query);
    body.put("matches", matches);
    ctx.json(body);
  }

  private static Map<String, Object> match(String kind, String id) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind);
    m.put("id", id);
    return m;
  }
}
