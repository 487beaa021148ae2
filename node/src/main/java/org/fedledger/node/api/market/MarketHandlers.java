package org.fedledger.node.api.market;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.market.Channel;
import org.fedledger.core.proto.market.RoyaltyPayment;
import org.fedledger.core.proto.registry.Model;
import org.fedledger.ledger.Ledger;
import org.fedledger.ledger.market.MarketModule;
import org.fedledger.ledger.module.QueryContext;
import org.fedledger.node.api.ApiException;
import org.fedledger.node.api.ChainBackend;
import org.fedledger.node.api.training.ProtoJson;

/**
 * Answers the market endpoints. Each request reads everything it returns in one {@link
 * Ledger#query}, so a response never mixes two heights.
 */
final class MarketHandlers {
  private static final int MAX_LIMIT = 500;

  private final ChainBackend backend;

  MarketHandlers(ChainBackend backend) {
    this.backend = backend;
  }

  void offers(Context ctx) {
    long from = nonNegative("from", ctx.queryParam("from"), 0);
    int limit = limit(ctx.queryParam("limit"));
    ctx.json(
        query(
            (q, market) -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("count", market.offerCount(q));
              body.put("offers", ProtoJson.of(market.offers(q, from, limit)));
              return body;
            }));
  }

  void offer(Context ctx) {
    String model = modelId(ctx.pathParam("model"));
    ctx.json(
        query(
            (q, market) ->
                ProtoJson.of(
                    market
                        .offer(q, model)
                        .orElseThrow(
                            () -> ApiException.notFound("model '" + model + "' has no offer")))));
  }

  void channel(Context ctx) {
    Hash id = channelId(ctx.pathParam("id"));
    ctx.json(
        query(
            (q, market) ->
                ProtoJson.of(
                    market
                        .channel(q, id)
                        .orElseThrow(() -> ApiException.notFound("no channel " + id.toHex())))));
  }

  /** A client's or a provider's channels, in opening order. */
  void channels(Context ctx) {
    String client = ctx.queryParam("client");
    String provider = ctx.queryParam("provider");
    if ((client == null) == (provider == null)) {
      throw ApiException.badRequest(
          "name exactly one of ?client=ADDRESS or ?provider=ADDRESS (40 hex digits)");
    }
    Address who = address(client != null ? client : provider);
    long from = nonNegative("from", ctx.queryParam("from"), 0);
    int limit = limit(ctx.queryParam("limit"));
    ctx.json(
        query(
            (q, market) -> {
              List<Channel> channels =
                  client != null
                      ? market.channelsOfClient(q, who, from, limit)
                      : market.channelsOfProvider(q, who, from, limit);
              return Map.of("channels", ProtoJson.of(channels));
            }));
  }

  void claims(Context ctx) {
    String model = modelId(ctx.pathParam("id"));
    long from = nonNegative("from", ctx.queryParam("from"), 0);
    int limit = limit(ctx.queryParam("limit"));
    ctx.json(
        query(
            (q, market) -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("modelId", model);
              body.put("count", market.claimCount(q, model));
              body.put("revenue", market.revenue(q, model));
              body.put("claims", ProtoJson.of(market.claims(q, model, from, limit)));
              return body;
            }));
  }

  /** Per contributor of the model's lineage: its weight and the royalties it received so far. */
  void royalties(Context ctx) {
    String modelId = modelId(ctx.pathParam("id"));
    Ledger ledger = backend.ledger();
    ctx.json(
        ledger.query(
            q -> {
              Model model =
                  ledger
                      .contracts()
                      .registry()
                      .model(q, modelId)
                      .orElseThrow(() -> ApiException.notFound("no model " + modelId));
              MarketModule market = ledger.market();
              Map<Address, Long> weights = MarketModule.contributorWeights(model);
              long total = weights.values().stream().mapToLong(Long::longValue).sum();
              List<Map<String, Object>> rows = new ArrayList<>();
              for (RoyaltyPayment r : market.royalties(q, modelId)) {
                Address contributor = Address.of(r.getContributor());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("contributor", contributor.toHex());
                row.put("weight", weights.get(contributor));
                row.put("amount", r.getAmount());
                rows.add(row);
              }
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("modelId", modelId);
              body.put("owner", HexFormat.of().formatHex(model.getSponsor().toByteArray()));
              body.put("revenue", market.revenue(q, modelId));
              body.put("totalWeight", total);
              body.put("royalties", rows);
              return body;
            }));
  }

  private <T> T query(Query<T> query) {
    Ledger ledger = backend.ledger();
    return ledger.query(q -> query.read(q, ledger.market()));
  }

  private interface Query<T> {
    T read(QueryContext q, MarketModule market);
  }

  // ---- parameters: bad input is a 400 that says why ----

  private static Hash channelId(String text) {
    return parse(text, Hash::fromHex, "a channel id is 64 hex digits");
  }

  private static Address address(String text) {
    return parse(text, Address::fromHex, "an address is 40 hex digits");
  }

  private static <T> T parse(String text, Function<String, T> parser, String rule) {
    try {
      return parser.apply(text.startsWith("0x") ? text.substring(2) : text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(rule + ", got '" + text + "'");
    }
  }

  private static String modelId(String text) {
    if (text.isEmpty() || text.length() > 128 || !text.matches("[A-Za-z0-9._:-]+")) {
      throw ApiException.badRequest(
          "a model id is 1-128 characters of [A-Za-z0-9._:-], got '" + text + "'");
    }
    return text;
  }

  private static long nonNegative(String name, String text, long fallback) {
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    try {
      long v = Long.parseLong(text);
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below with the value
    }
    throw ApiException.badRequest(name + " must be a non-negative integer, got '" + text + "'");
  }

  private static int limit(String text) {
    long v = nonNegative("limit", text, 100);
    if (v < 1 || v > MAX_LIMIT) {
      throw ApiException.badRequest("limit must be 1 to " + MAX_LIMIT + ", got " + v);
    }
    return (int) v;
  }
}
