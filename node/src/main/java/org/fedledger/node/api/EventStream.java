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
 * "hash", "txCount", "stateRoot", "timestampMillis"}}. Blocks are handed over from the ledger's
 * apply thread and written by one sender thread, so a slow client never slows consensus; a comment
 * every 15 seconds keeps proxies from closing idle streams and detects gone clients.
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

  private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
  private final ObjectMapper json;
  private final ScheduledExecutorService sender =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("sse-sender").daemon().unstarted(r));

  EventStream(ObjectMapper json) {
    this.json = json;
    sender.scheduleAtFixedRate(this::heartbeat, 15, 15, TimeUnit.SECONDS);
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
    String data;
    try {
      data = json.writeValueAsString(BlockEvent.of(block));
    } catch (JsonProcessingException e) {
      log.error("cannot serialize the block event of height {}", block.height(), e);
      return;
    }
    String id = Long.toString(block.height());
    sender.execute(
        () -> {
          for (SseClient c : clients) {
            if (c.terminated()) {
              clients.remove(c);
            } else {
              c.sendEvent("block", data, id);
            }
          }
        });
  }

  private void heartbeat() {
    for (SseClient c : clients) {
      if (c.terminated()) {
        clients.remove(c);
      } else {
        c.sendComment("heartbeat");
      }
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
