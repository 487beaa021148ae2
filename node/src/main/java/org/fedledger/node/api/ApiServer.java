package org.fedledger.node.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.fedledger.node.api.budget.RefusalBudget;
import org.fedledger.node.api.market.MarketRoutes;
import org.fedledger.node.api.training.TrainingRoutes;
import org.fedledger.node.api.verify.ModelVerifier;
import org.fedledger.node.config.HostPort;
import org.fedledger.node.dashboard.Dashboard;
import org.fedledger.node.metrics.NodeMetrics;
import org.fedledger.node.serve.PaymentRefusedException;
import org.fedledger.node.serve.PredictHandler;
import org.fedledger.node.serve.Serving;
import org.fedledger.node.tls.ServerTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API of one node. Start it with {@link #start}, stop it with {@link #close}. Feed it
 * committed blocks through {@link #blockCommitted} (for the event stream and the model verifier).
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  static final String OPENAPI_RESOURCE = "/org/fedledger/node/api/openapi.json";

  /** Largest request body: a full batch of maximum-size transactions would not fit, by design. */
  static final long MAX_REQUEST_BYTES = 32L * 1024 * 1024;

  // Handlers run on virtual threads, one per request, so Jackson's default per-thread buffer pool
  // never gave a buffer back: every answer allocated its generator's buffers anew. A pool shared by
  // all threads recycles them.
  private final ObjectMapper json =
      new ObjectMapper(
          JsonFactory.builder()
              .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
              .build());
  private static final java.util.concurrent.atomic.AtomicLong INCIDENTS =
      new java.util.concurrent.atomic.AtomicLong();

  private final NodeMetrics metrics;
  private final ModelVerifier verifier;
  private final EventStream events = new EventStream(json);
  private final List<Route> routes = new ArrayList<>();
  private final Javalin app;
  private final String openApi;
  // Set by start, read by the connector factory that Javalin calls while starting.
  private HostPort listen;
  private ServerTls tls;

  /** A node without a blob store: models are served as unverifiable here, saying why. */
  public ApiServer(ChainBackend backend, NodeMetrics metrics) {
    this(backend, metrics, ModelVerifier.withoutBlobStore());
  }

  /**
   * @param verifier replays registered models' lineages in the background; the server feeds it
   *     committed blocks, announces its verdicts on the event stream, and closes it
   */
  public ApiServer(ChainBackend backend, NodeMetrics metrics, ModelVerifier verifier) {
    this.metrics = metrics;
    this.verifier = verifier;
    this.openApi = loadOpenApi();
    this.app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.jsonMapper(new JavalinJackson(json, false));
              config.http.maxRequestSize = MAX_REQUEST_BYTES;
              config.useVirtualThreads = true;
              // The one connector: TLS-only when the node has TLS, so no plaintext port exists.
              config.jetty.addConnector(
                  (server, http) ->
                      tls == null
                          ? plainConnector(server, http)
                          : tls.connector(server, http, listen.host(), listen.port()));
              Dashboard.configure(config);
            });
    TransactionHandlers txs =
        new TransactionHandlers(backend, metrics, json, RefusalBudget.defaults());
    QueryHandlers queries = new QueryHandlers(backend);
    route(HandlerType.POST, "/v1/transactions", txs::submitOne);
    route(HandlerType.POST, "/v1/transactions/batch", txs::submitBatch);
    route(HandlerType.GET, "/v1/transactions/{hash}", queries::transaction);
    route(HandlerType.GET, "/v1/blocks/latest", queries::latestBlock);
    route(HandlerType.GET, "/v1/blocks/hash/{hash}", queries::blockByHash);
    route(HandlerType.GET, "/v1/blocks/{height}", queries::blockByHeight);
    route(HandlerType.GET, "/v1/accounts/{address}", queries::account);
    route(HandlerType.GET, "/v1/state/proof", queries::stateProof);
    route(HandlerType.GET, "/v1/status", queries::status);
    for (TrainingRoutes.Endpoint e : TrainingRoutes.endpoints(backend, verifier)) {
      route(HandlerType.GET, e.path(), e.handler());
    }
    for (TrainingRoutes.Endpoint e : MarketRoutes.endpoints(backend)) {
      route(HandlerType.GET, e.path(), e.handler());
    }
    route(
        HandlerType.GET,
        "/openapi.json",
        ctx -> ctx.contentType("application/json").result(openApi));
    route(
        HandlerType.GET,
        "/metrics",
        ctx ->
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    events.mount(app, "/v1/events");
    routes.add(new Route("GET", "/v1/events"));
    verifier.onVerdict(
        v ->
            events.send(
                "verification", new EventStream.VerificationEvent(v.modelId(), v.status())));

    app.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage()));
    app.exception(
        Exception.class,
        (e, ctx) -> {
          // The exception's text stays in the node's log: it can name files, peers or internals
          // that are no client's business. The client gets an incident id to quote instead.
          String incident = Long.toHexString(INCIDENTS.incrementAndGet());
          log.error("{} {} failed (incident {})", ctx.method(), ctx.path(), incident, e);
          error(
              ctx,
              500,
              "INTERNAL",
              "the node failed to answer; its operator can find incident "
                  + incident
                  + " in the node's log");
        });
    // Javalin's own refusals: no such route, body too large, method not allowed.
    app.exception(
        HttpResponseException.class,
        (e, ctx) -> {
          int status = e.getStatus();
          String code = status == 404 ? "NOT_FOUND" : status == 413 ? "OVERSIZE" : "HTTP_" + status;
          String message =
              status == 404
                  ? "no such endpoint: " + ctx.method() + " " + ctx.path() + "; see /openapi.json"
                  : status == 413
                      ? "the request body exceeds " + MAX_REQUEST_BYTES + " bytes"
                      : e.getMessage();
          error(ctx, status, code, message);
        });
  }

  private void route(HandlerType method, String path, Handler handler) {
    app.addHttpHandler(method, path, handler);
    routes.add(new Route(method.name(), path));
  }

  private static void error(Context ctx, int status, String code, String message) {
    ctx.status(status).json(Map.of("error", Map.of("code", code, "message", message)));
  }

  /**
   * Serves predictions ({@code POST /v1/models/{id}/predict}) through serving; call before {@link
   * #start}.
   */
  public ApiServer withServing(Serving serving) {
    route(HandlerType.POST, "/v1/models/{id}/predict", new PredictHandler(serving, json)::handle);
    app.exception(
        PaymentRefusedException.class,
        (e, ctx) -> ctx.status(e.status()).json(PredictHandler.errorBody(e)));
    return this;
  }

  /** Binds the address and starts serving; port 0 picks a free port (see {@link #port}). */
  public ApiServer start(HostPort listen) {
    return start(listen, null);
  }

  /**
   * Starts serving on listen over TLS only (null: plaintext, for the test kit's in-process
   * networks). A public API (no client certificate required) answers reads to anyone and refuses
   * every other method from a client without a member's certificate.
   */
  public ApiServer start(HostPort listen, ServerTls serverTls) {
    this.listen = listen;
    this.tls = serverTls;
    if (serverTls != null && !serverTls.requireClientCertificate()) {
      app.before(ApiServer::readOnlyWithoutCertificate);
    }
    app.start();
    return this;
  }

  private static void readOnlyWithoutCertificate(Context ctx) {
    HandlerType m = ctx.method();
    if (m != HandlerType.GET
        && m != HandlerType.HEAD
        && m != HandlerType.OPTIONS
        && ServerTls.clientCertificate(ctx.req()) == null) {
      throw new ApiException(
          403,
          "FORBIDDEN",
          "this node's API is public for reading only; "
              + m
              + " needs a member's certificate of the consortium (fedledger --cert)");
    }
  }

  private ServerConnector plainConnector(Server server, HttpConfiguration http) {
    ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(http));
    c.setHost(listen.host());
    c.setPort(listen.port());
    return c;
  }

  /** The URL scheme clients use: https when the API speaks TLS. */
  public String scheme() {
    return tls == null ? "http" : "https";
  }

  public int port() {
    return app.port();
  }

  /** Every method and path served, for the OpenAPI test. */
  public List<Route> routes() {
    return List.copyOf(routes);
  }

  /**
   * Hands a committed block to the event stream and the model verifier; safe to call from the apply
   * thread.
   */
  public void blockCommitted(CommittedBlock block) {
    events.blockCommitted(block);
    verifier.blockCommitted();
  }

  public NodeMetrics metrics() {
    return metrics;
  }

  private static String loadOpenApi() {
    try (InputStream in = ApiServer.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + OPENAPI_RESOURCE, e);
    }
  }

  @Override
  public void close() {
    try {
      events.close();
      app.stop();
    } finally {
      verifier.close();
    }
  }
}
