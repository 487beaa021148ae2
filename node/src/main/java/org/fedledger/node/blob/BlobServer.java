package org.fedledger.node.blob;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.core.hash.Hash;
import org.fedledger.node.tls.ServerTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link BlobStore} over HTTP: {@code GET /v1/blobs/{hash}} streams a blob (no size cap:
 * the body is copied in chunks), {@code PUT /v1/blobs} streams one in and answers its hash. Every
 * request must be signed ({@link SignedRequest}); reads are then checked against {@link
 * BlobAccess}, uploads against the uploader rule. Refusals are 403 and serve nothing.
 */
public final class BlobServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BlobServer.class);
  public static final String PATH = "/v1/blobs";

  private final BlobStore store;
  private final BlobAccess access;
  private final Predicate<Address> mayUpload;
  private final SignedRequest.Verifier verifier;
  private final Javalin app;
  // Set by start, read by the connector factory that Javalin calls while starting.
  private String host;
  private int listenPort;
  private ServerTls tls;

  public BlobServer(BlobStore store, BlobAccess access, Predicate<Address> mayUpload, Clock clock) {
    this.store = store;
    this.access = access;
    this.mayUpload = mayUpload;
    this.verifier = new SignedRequest.Verifier(clock);
    this.app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.useVirtualThreads = true;
              // The one connector: TLS-only when the node has TLS, so no plaintext port exists.
              config.jetty.addConnector(
                  (server, http) -> {
                    if (tls != null) {
                      return tls.connector(server, http, host, listenPort);
                    }
                    ServerConnector c =
                        new ServerConnector(server, new HttpConnectionFactory(http));
                    c.setHost(host);
                    c.setPort(listenPort);
                    return c;
                  });
            });
    app.get(PATH + "/{hash}", this::get);
    app.put(PATH, this::put);
    app.post(PATH, this::put);
  }

  /** Binds host:port (0 = any free port) and starts serving plaintext (the test kit's way). */
  public BlobServer start(String host, int port) {
    return start(host, port, null);
  }

  /** Binds host:port (0 = any free port) and serves over TLS only (null: plaintext). */
  public BlobServer start(String host, int port, ServerTls serverTls) {
    this.host = host;
    this.listenPort = port;
    this.tls = serverTls;
    app.start();
    return this;
  }

  public int port() {
    return app.port();
  }

  /** The base URL peers fetch from, e.g. https://127.0.0.1:1234. */
  public String url() {
    return (tls == null ? "http" : "https") + "://127.0.0.1:" + port();
  }

  private void get(Context ctx) throws IOException {
    String hex = ctx.pathParam("hash");
    Hash hash;
    try {
      hash = Hash.fromHex(hex);
    } catch (IllegalArgumentException e) {
      error(ctx, 400, "BAD_HASH", "not a 64-hex-digit SHA-256: " + hex);
      return;
    }
    SignedRequest.Authenticated request;
    try {
      request = verifier.authenticate(ctx::header, "GET", ctx.path(), hash.toHex());
    } catch (SignedRequest.RefusedException e) {
      error(ctx, 403, "FORBIDDEN", e.getMessage());
      return;
    }
    Ed25519PublicKey signer = request.key();
    String denial = access.denial(hash, signer.address());
    if (denial != null) {
      log.debug("blob {} refused to {}: {}", hash, signer.address(), denial);
      error(ctx, 403, "FORBIDDEN", denial);
      return;
    }
    if (!consumed(ctx, request)) {
      return;
    }
    Optional<InputStream> in = store.open(hash);
    if (in.isEmpty()) {
      error(ctx, 404, "NOT_FOUND", "this node holds no blob " + hash.toHex());
      return;
    }
    ctx.header("Content-Length", Long.toString(store.size(hash)));
    ctx.contentType("application/octet-stream");
    // Javalin copies the stream to the response in chunks and closes it.
    ctx.result(in.get());
  }

  private void put(Context ctx) throws IOException {
    String expectParam = ctx.queryParam("expect");
    // The signature covers the body through its hash: without it, a captured upload's headers
    // would carry any body.
    if (expectParam == null) {
      error(
          ctx,
          400,
          "BAD_HASH",
          "an upload names its body's SHA-256 as ?expect=<64 hex digits> and signs it");
      return;
    }
    Hash expected;
    try {
      expected = Hash.fromHex(expectParam);
    } catch (IllegalArgumentException e) {
      error(ctx, 400, "BAD_HASH", "expect is not a 64-hex-digit SHA-256: " + expectParam);
      return;
    }
    SignedRequest.Authenticated request;
    try {
      request = verifier.authenticate(ctx::header, ctx.method().name(), PATH, expectParam);
    } catch (SignedRequest.RefusedException e) {
      error(ctx, 403, "FORBIDDEN", e.getMessage());
      return;
    }
    Ed25519PublicKey signer = request.key();
    if (!mayUpload.test(signer.address())) {
      error(ctx, 403, "FORBIDDEN", signer.address() + " may not upload blobs to this node");
      return;
    }
    if (!consumed(ctx, request)) {
      return;
    }
    try (InputStream body = ctx.req().getInputStream()) {
      Hash hash = store.put(body, expected, "upload from " + signer.address());
      ctx.status(201).json(Map.of("hash", hash.toHex()));
    } catch (BlobHashMismatchException e) {
      error(ctx, 422, "HASH_MISMATCH", e.getMessage());
    }
  }

  /** Records the request's nonce once it is to be answered; false (403 sent) for a replay. */
  private boolean consumed(Context ctx, SignedRequest.Authenticated request) {
    try {
      verifier.consume(request);
      return true;
    } catch (SignedRequest.RefusedException e) {
      error(ctx, 403, "FORBIDDEN", e.getMessage());
      return false;
    }
  }

  private static void error(Context ctx, int status, String code, String message) {
    ctx.status(status).json(Map.of("error", Map.of("code", code, "message", message)));
  }

  @Override
  public void close() {
    app.stop();
  }
}
