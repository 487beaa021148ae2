package org.fedledger.consensus.node;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's fail-stop once Raft can store nothing more here: says why in one line, once, and
 * completes {@link #stopped()} with the reason, on which {@code fedledger node start} exits with
 * status 70. Raft closes itself when a block fails to store; when its log fails to write it does
 * not (Ratis fails every later append and lets the server linger, alive and behind), so this closes
 * the Raft server too: a node embedded in another process then stops voting and leading as well.
 */
final class RaftFailStop {
  private static final Logger LOG = LoggerFactory.getLogger(RaftFailStop.class);

  private final String selfId;
  private final RaftServer server;
  private final CompletableFuture<String> stopped = new CompletableFuture<>();

  RaftFailStop(String selfId, RaftServer server) {
    this.selfId = selfId;
    this.server = server;
  }

  CompletableFuture<String> stopped() {
    return stopped;
  }

  /** Raft closed itself because it could not store (or for a reason it did not give). */
  void raftClosed(String reason) {
    report(reason);
  }

  /**
   * Raft's log could not be written. Called on Ratis' log worker thread, which closing the server
   * waits for: the close runs on a thread of its own.
   */
  void raftLogFailed(String reason) {
    if (report(reason)) {
      var unused = Thread.ofPlatform().daemon().name("raft-fail-stop").start(this::closeRaft);
    }
  }

  /** Logs and completes once; false if already stopped. */
  private synchronized boolean report(String reason) {
    if (stopped.isDone()) {
      return false;
    }
    LOG.error("{}: Raft stopped while the node runs: {}", selfId, reason);
    // fedledger node start halts the process here, on this thread, before anything else runs.
    stopped.complete(reason);
    return true;
  }

  private void closeRaft() {
    try {
      server.close();
    } catch (IOException | RuntimeException e) {
      LOG.warn("{}: closing the Raft server after its log failed did not finish", selfId, e);
    }
  }
}
