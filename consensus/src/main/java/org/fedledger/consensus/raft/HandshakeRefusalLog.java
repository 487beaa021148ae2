package org.fedledger.consensus.raft;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.Map;
import org.apache.ratis.grpc.server.GrpcService;
import org.apache.ratis.thirdparty.io.netty.channel.ChannelHandler;
import org.apache.ratis.thirdparty.io.netty.channel.ChannelHandlerContext;
import org.apache.ratis.thirdparty.io.netty.channel.ChannelInboundHandlerAdapter;
import org.apache.ratis.thirdparty.io.netty.handler.ssl.NotSslRecordException;
import org.apache.ratis.thirdparty.io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line of our own for each connection the Raft port refuses at the TLS handshake: from where,
 * and why (it spoke plaintext, it showed no certificate, or its certificate was refused, with the
 * trust manager's reason naming the certificate). gRPC reports these in its own words at its own
 * levels, without the peer's address, or not at all.
 *
 * <p>Ratis 3.1 builds its gRPC server privately and offers no hook into the connection (3.2 adds a
 * customizer): so {@link #install} reaches, before the server starts, into each gRPC server of the
 * {@link GrpcService} for the one object that creates a connection's handshake handler, and wraps
 * it so that each new connection's pipeline gets a {@link Refusals} handler at its head. If a Ratis
 * upgrade moves those fields, {@link #install} says so once and changes nothing; the trust
 * manager's own line for a refused certificate remains.
 */
final class HandshakeRefusalLog {
  private static final Logger LOG = LoggerFactory.getLogger(HandshakeRefusalLog.class);

  private HandshakeRefusalLog() {}

  /** Wraps the handshake of every gRPC server of service; false (with a warning) if it cannot. */
  static boolean install(GrpcService service) {
    try {
      Map<?, ?> servers = (Map<?, ?>) read(service, GrpcService.class, "servers");
      for (Object server : servers.values()) {
        Object transport = read(server, server.getClass(), "transportServer");
        Field negotiator = field(transport.getClass(), "protocolNegotiator");
        negotiator.set(transport, wrap(negotiator.get(transport)));
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn(
          "TLS: cannot log the Raft port's refused handshakes in our own words with this Ratis"
              + " (its gRPC server has changed: {}); gRPC reports them in its own",
          e.toString());
      return false;
    }
  }

  private static Object read(Object target, Class<?> type, String name)
      throws ReflectiveOperationException {
    return field(type, name).get(target);
  }

  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    Field f = type.getDeclaredField(name);
    f.setAccessible(true);
    return f;
  }

  /**
   * gRPC's protocol negotiator (a package-private interface, hence the proxy), each connection's
   * pipeline also getting a {@link Refusals} at its head.
   */
  private static Object wrap(Object negotiator) {
    Class<?> type = negotiator.getClass().getInterfaces()[0];
    return Proxy.newProxyInstance(
        type.getClassLoader(),
        new Class<?>[] {type},
        (proxy, method, args) -> {
          Object result;
          try {
            // The interface is package-private: its methods are reachable only once opened.
            method.setAccessible(true);
            result = method.invoke(negotiator, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (method.getName().equals("newHandler") && result instanceof ChannelHandler h) {
            return new Installer(h);
          }
          return result;
        });
  }

  /**
   * Stands in for the handshake handler just long enough to put a {@link Refusals} at the head of
   * the pipeline, then puts the handshake handler in its own place, so that the pipeline is gRPC's
   * own plus one handler in front.
   */
  static final class Installer extends ChannelInboundHandlerAdapter {
    private final ChannelHandler handshake;

    Installer(ChannelHandler handshake) {
      this.handshake = handshake;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ctx.pipeline().addFirst(new Refusals());
      ctx.pipeline().replace(this, null, handshake);
    }
  }

  /**
   * First in a connection's pipeline: when the connection closes before its TLS handshake
   * succeeded, logs why the handshake failed (the TLS handler keeps the cause). Steps aside once
   * the handshake has succeeded.
   */
  static final class Refusals extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      SslHandler ssl = ctx.pipeline().get(SslHandler.class);
      if (ssl != null && ssl.handshakeFuture().isSuccess()) {
        ctx.pipeline().remove(this);
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      SslHandler ssl = ctx.pipeline().get(SslHandler.class);
      if (ssl != null && ssl.handshakeFuture().isDone() && !ssl.handshakeFuture().isSuccess()) {
        log(ctx.channel().remoteAddress(), ssl.handshakeFuture().cause());
      }
      ctx.fireChannelInactive();
    }
  }

  static void log(SocketAddress from, Throwable cause) {
    LOG.warn("TLS: Raft refused a connection from {}: {}", hostAndPort(from), reason(cause));
  }

  /** 127.0.0.1:41792, as the HTTP servers' refusals say it. */
  static String hostAndPort(SocketAddress address) {
    if (address instanceof InetSocketAddress a && a.getAddress() != null) {
      return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
    return String.valueOf(address);
  }

  /** Why, in our words, from the exception the handshake failed with. */
  static String reason(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof NotSslRecordException) {
        return "it spoke plaintext, not TLS (every Raft connection is mutual TLS)";
      }
      if (t instanceof CertificateException && t.getMessage() != null) {
        return t.getMessage(); // the trust manager's: whose certificate, and why not
      }
    }
    String all = chain(cause);
    String upper = all.toUpperCase(Locale.ROOT);
    if (upper.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE")
        || upper.contains("CERTIFICATE_REQUIRED")
        || upper.contains("EMPTY CLIENT CERTIFICATE")) {
      return "it presented no certificate (a Raft peer must show a validator's certificate of the"
          + " consortium's CA)";
    }
    return "the TLS handshake failed: " + all;
  }

  private static String chain(Throwable cause) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (b.length() > 0) {
        b.append("; caused by ");
      }
      b.append(t.getClass().getSimpleName());
      if (t.getMessage() != null) {
        b.append(": ").append(t.getMessage());
      }
    }
    return b.toString();
  }
}
