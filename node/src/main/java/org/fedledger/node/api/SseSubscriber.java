package org.fedledger.node.api;

import io.javalin.http.sse.SseClient;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event-stream subscriber: a bounded queue of events and a virtual thread that writes them.
 *
 * <p>A write to a client that does not read blocks once the socket's buffers are full. Writing
 * every client from one thread would let one such client stall all the others, and an unbounded
 * queue in front of it would grow without end. Here each client blocks only its own thread, and a
 * client that falls {@code capacity} events behind is disconnected: it can reconnect and catch up
 * from the blocks API.
 */
final class SseSubscriber {
  private static final Logger log = LoggerFactory.getLogger(SseSubscriber.class);

  /** One server-sent event; a null name is a comment. */
  private record Event(String name, String data, String id) {}

  private final SseClient client;
  private final String remote;
  private final BlockingQueue<Event> queue;
  private final Thread writer;
  private volatile boolean closed;

  SseSubscriber(SseClient client, String remote, int capacity) {
    this.client = client;
    this.remote = remote;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.writer = Thread.ofVirtual().name("sse-" + remote).start(this::drain);
  }

  String remote() {
    return remote;
  }

  /** False once the client has gone, fell too far behind, or was closed. */
  boolean alive() {
    return !closed && !client.terminated();
  }

  void event(String name, String data, String id) {
    offer(new Event(name, data, id));
  }

  void comment(String text) {
    offer(new Event(null, text, null));
  }

  private void offer(Event e) {
    if (closed) {
      return;
    }
    if (!queue.offer(e)) {
      log.info(
          "event-stream client {} is {} events behind; disconnecting it", remote, queue.size());
      close();
    }
  }

  private void drain() {
    try {
      while (!closed) {
        Event e = queue.take();
        if (e.name() == null) {
          client.sendComment(e.data());
        } else if (e.id() == null) {
          client.sendEvent(e.name(), e.data());
        } else {
          client.sendEvent(e.name(), e.data(), e.id());
        }
        if (client.terminated()) {
          close();
        }
      }
    } catch (InterruptedException stop) {
      Thread.currentThread().interrupt();
    }
  }

  void close() {
    closed = true;
    writer.interrupt();
    client.close();
  }
}
