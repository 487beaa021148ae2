package org.fedledger.cli.nemesis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One directed link between two validators: the TCP proxy that every connection node i opens to
 * node j's Raft port passes through. It listens on an address only i's hosts file maps j's name to,
 * and forwards to j.
 *
 * <p>A cut link stalls: bytes already read wait, nothing is read or written further, and a new
 * connection is accepted but not forwarded, as a network that drops every packet leaves TCP waiting
 * for its retransmissions. Healing lets everything flow on, as TCP would after a short partition; a
 * connection that the endpoints gave up on in the meantime is closed by them. A slow link delays
 * every chunk it forwards, which both adds latency and throttles throughput.
 */
final class LinkProxy implements AutoCloseable {
  private static final int CHUNK = 64 * 1024;

  private final String name;
  private final ServerSocket server;
  private final InetSocketAddress target;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition healed = lock.newCondition();
  private boolean cut;
  private volatile long delayMillis;
  private volatile boolean closed;

  private LinkProxy(String name, ServerSocket server, InetSocketAddress target) {
    this.name = name;
    this.server = server;
    this.target = target;
  }

  /** Listens on listen and forwards every connection to target. */
  static LinkProxy start(String name, InetSocketAddress listen, InetSocketAddress target)
      throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    try {
      server.bind(listen);
    } catch (IOException e) {
      server.close();
      throw new IOException(
          "link " + name + ": cannot listen on " + listen + " (" + e.getMessage() + ")", e);
    }
    LinkProxy proxy = new LinkProxy(name, server, target);
    Thread.ofVirtual().name("link-" + name + "-accept").start(proxy::acceptLoop);
    return proxy;
  }

  /** Stops forwarding in both directions until {@link #heal}. */
  void cut() {
    lock.lock();
    try {
      cut = true;
    } finally {
      lock.unlock();
    }
  }

  /** Forwards again, without delay. */
  void heal() {
    delayMillis = 0;
    lock.lock();
    try {
      cut = false;
      healed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Delays every forwarded chunk by delay milliseconds (0: none). */
  void slow(long delay) {
    delayMillis = delay;
  }

  boolean isCut() {
    lock.lock();
    try {
      return cut;
    } finally {
      lock.unlock();
    }
  }

  String name() {
    return name;
  }

  private void awaitHealed() throws InterruptedException {
    lock.lock();
    try {
      while (cut && !closed) {
        healed.await(200, TimeUnit.MILLISECONDS);
      }
    } finally {
      lock.unlock();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      sockets.add(client);
      Thread.ofVirtual().name("link-" + name + "-connect").start(() -> connect(client));
    }
  }

  private void connect(Socket client) {
    Socket upstream = new Socket();
    try {
      awaitHealed();
      sockets.add(upstream);
      upstream.connect(target, 5_000);
      upstream.setTcpNoDelay(true);
      client.setTcpNoDelay(true);
      Thread.ofVirtual().name("link-" + name + "-up").start(() -> pump(client, upstream));
      pump(upstream, client);
    } catch (IOException e) {
      closeQuietly(client, upstream);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(client, upstream);
    }
  }

  /** Copies from → to until either side closes, stalling while the link is cut. */
  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[CHUNK];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        awaitHealed();
        long delay = delayMillis;
        if (delay > 0) {
          Thread.sleep(delay);
        }
        awaitHealed();
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // One side went away: the other is closed below, as a broken TCP connection would be.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(from, to);
    }
  }

  private void closeQuietly(Socket... pair) {
    for (Socket s : pair) {
      sockets.remove(s);
      try {
        s.close();
      } catch (IOException e) {
        // Already broken; nothing is left to release.
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    heal();
    try {
      server.close();
    } catch (IOException e) {
      // Closing a listening socket fails only if it is already closed.
    }
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }
}
