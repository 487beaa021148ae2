package org.fedledger.node.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
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
 * verdict the node's model verifier reaches, {@code {"modelId", "status"}}. Events are handed to
 * each subscriber's own bounded queue and writer ({@link SseSubscriber}), so neither consensus
 * (blocks come from the ledger's apply thread) nor the other subscribers wait for a slow client; a
 * comment every 15 seconds keeps proxies from closing idle streams and detects gone clients.
 *
 * <p>Subscribers are limited in number, in all and per remote address, so that opening streams
 * cannot exhaust the node's memory or threads: past the limit a request is refused with 503.
 */
final class EventStream implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventStream.class);

  /** Most subscribers at once, and most from one remote address. */
  static final int MAX_SUBSCRIBERS = 256;

  static final int MAX_SUBSCRIBERS_PER_ADDRESS = 16;

  /** How many events a subscriber may fall behind before it is disconnected. */
  static final int QUEUE_CAPACITY = 1024;

  /** The {@code block} event's data. */
  record BlockEvent(long height, String hash, int txCount, String stateRoot, long timestampMillis) {
    static BlockEvent of(CommittedBlock b) {
      return new BlockEvent(
          b.height(), b.hash().toHex(), b.txCount(), b.stateRoot().toHex(), b.timestampMillis());
    }
  }

  /** The {@code verification} event's data. */
  record VerificationEvent(String modelId, String status) {}

  private final Set<SseSubscriber> subscribers = ConcurrentHashMap.newKeySet();
  private final ObjectMapper json;
  private final int maxSubscribers;
  private final int maxPerAddress;
  private final int queueCapacity;
  private final ScheduledExecutorService heartbeat =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("sse-heartbeat").daemon().unstarted(r));

  EventStream(ObjectMapper json) {
    this(json, MAX_SUBSCRIBERS, MAX_SUBSCRIBERS_PER_ADDRESS, QUEUE_CAPACITY);
  }

  EventStream(ObjectMapper json, int maxSubscribers, int maxPerAddress, int queueCapacity) {
    this.json = json;
    this.maxSubscribers = maxSubscribers;
    this.maxPerAddress = maxPerAddress;
    this.queueCapacity = queueCapacity;
    var unused = heartbeat.scheduleAtFixedRate(this::heartbeat, 15, 15, TimeUnit.SECONDS);
  }

  /** Serves the stream at path of app, refusing subscribers past the limits with 503. */
  void mount(Javalin app, String path) {
    app.before(path, ctx -> checkCapacity(ctx.ip()));
    app.sse(path, this::connect);
  }

  /**
   * Refuses a new subscription from remote with 503 when the limits are reached; run before the
   * stream is opened, so the client gets a status rather than an open stream that closes.
   */
  void checkCapacity(String remote) {
    subscribers.removeIf(s -> !s.alive());
    if (subscribers.size() >= maxSubscribers) {
      throw new ApiException(
          503,
          "TOO_MANY_SUBSCRIBERS",
          "the node already streams events to "
              + maxSubscribers
              + " subscribers; retry later or poll /v1/blocks/latest");
    }
    if (fromAddress(remote) >= maxPerAddress) {
      throw new ApiException(
          503,
          "TOO_MANY_SUBSCRIBERS",
          "this address already holds "
              + maxPerAddress
              + " event streams; close one, or share one stream between your pages");
    }
  }

  void connect(SseClient client) {
    String remote = client.ctx().ip();
    // Checked again here: the check before opening and this one can race, and the limit must hold.
    if (subscribers.size() >= maxSubscribers || fromAddress(remote) >= maxPerAddress) {
      client.close();
      return;
    }
    client.keepAlive();
    SseSubscriber subscriber = new SseSubscriber(client, remote, queueCapacity);
    client.onClose(
        () -> {
          subscribers.remove(subscriber);
          subscriber.close();
        });
    subscribers.add(subscriber);
    // Tell the client it is subscribed, so it knows events from now on will reach it.
    subscriber.comment("subscribed");
  }

  private long fromAddress(String remote) {
    return subscribers.stream().filter(s -> s.alive() && s.remote().equals(remote)).count();
  }

  int clientCount() {
    subscribers.removeIf(s -> !s.alive());
    return subscribers.size();
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
    subscribers.removeIf(s -> !s.alive());
    for (SseSubscriber s : subscribers) {
      s.event(event, data, id);
    }
  }

  private void heartbeat() {
    subscribers.removeIf(s -> !s.alive());
    for (SseSubscriber s : subscribers) {
      s.comment("heartbeat");
    }
  }

  @Override
  public void close() {
    heartbeat.shutdownNow();
    for (SseSubscriber s : subscribers) {
      s.close();
    }
    subscribers.clear();
  }
}
