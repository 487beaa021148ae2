package org.fedledger.node.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.sse.SseClient;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent events: one {@code block} event per committed block, as JSON {@code {"height",
 * "hash", "txCount", "stateRoot", "timestampMillis"}}, and one {@code verification} event per
 * verdict the node's model verifier reaches, {@code {"modelId", "status"}}. Events are handed over
 * (blocks from the ledger's apply thread) and written by one sender thread, so a slow client never
 * slows consensus; a comment every 15 seconds keeps proxies from closing idle streams and detects
 * gone clients.
 */
final class EventStream implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventStream.class);

  /** The {@code block} event's data. */
  record BlockEvent(long height, String hash, int txCount, String stateRoot, long timestampMillis) {
    static BlockEvent of(CommittedBlock b) {
      return new BlockEvent(
          b.height(), b.hash().toHex(), b.txCount(), b.stateRoot().toHex(), b.timestampMillis());
    }
  }

  /** The {@code verification} event's data. */
  record VerificationEvent(String modelId, String status) {}

  private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
  private final ObjectMapper json;
  private final ScheduledExecutorService sender =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("sse-sender").daemon().unstarted(r));

  EventStream(ObjectMapper json) {
    this.json = json;
    // close() stops the sender. A broken client does not throw: Javalin marks it terminated.
    var unused = sender.scheduleAtFixedRate(this::heartbeat, 15, 15, TimeUnit.SECONDS);
  }

  void connect(SseClient client) {
    client.keepAlive();
    client.onClose(() -> clients.remove(client));
    clients.add(client);
    // Tell the client it is subscribed, so it knows events from now on will reach it.
    sender.execute(() -> client.sendComment("subscribed"));
  }

  int clientCount() {
    return clients.size();
  }

  /** Called on the apply thread: must not block. */
  void blockCommitted(CommittedBlock block) {
    send("block", BlockEvent.of(block), Long.toString(block.height()));
  }

  /** Sends an event without an id to every subscriber; returns at once. */
  void send(String event, Object payload) {
    send(event, payload, null);
  }

  private void send(String event, Object payload, String id) {
    String data;
    try {
      data = json.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      log.error("cannot serialize the {} event {}", event, payload, e);
      return;
    }
    try {
      sender.execute(
          () -> {
            clients.removeIf(SseClient::terminated);
            for (SseClient c : clients) {
              if (id == null) {
                c.sendEvent(event, data);
              } else {
                c.sendEvent(event, data, id);
              }
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      log.debug("event stream closed; {} event dropped", event);
    }
  }

  private void heartbeat() {
    clients.removeIf(SseClient::terminated);
    for (SseClient c : clients) {
      c.sendComment("heartbeat");
    }
  }

  @Override
  public void close() {
    sender.shutdownNow();
    for (SseClient c : clients) {
      c.close();
    }
    clients.clear();
  }
}
